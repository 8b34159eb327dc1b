// Harness stand-in for next/dynamic with { ssr: false }: the fallback on the server and in the
// first client render, the real component once its chunk has loaded after hydration.
import { useEffect, useState, type ComponentType, type ReactNode } from "react";

type Loader<P> = () => Promise<{ default: ComponentType<P> }>;

export default function dynamic<P extends object>(loader: Loader<P>, options: { loading?: () => ReactNode } = {}) {
  return function Dynamic(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(null);
    useEffect(() => {
      let live = true;
      void loader().then((m) => live && setComponent(() => m.default));
      return () => {
        live = false;
      };
    }, []);
    return Component ? <Component {...props} /> : (options.loading?.() ?? null);
  };
}
