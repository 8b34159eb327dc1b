import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect } from "react";
import { ActionDialogProvider } from "@/components/actions/action-dialog-client";
import { HomeClient } from "@/components/home/home-client";
import type { HomeData } from "@/lib/presenters/get-home-data";

// The home page's component tree as the app renders it (layout's QueryProvider + HomeClient).
export function HomeApp({ data, client }: { data: HomeData; client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <ActionDialogProvider>
        <main className="mx-auto max-w-7xl px-4 py-6">
          <HomeClient initialData={data} canAct />
        </main>
      </ActionDialogProvider>
      <HydratedMark />
    </QueryClientProvider>
  );
}

export const newClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

/** Marks when React has hydrated the whole tree (effects run after the commit). */
function HydratedMark() {
  useEffect(() => {
    if (typeof performance !== "undefined") performance.mark("hydrated");
  }, []);
  return null;
}
