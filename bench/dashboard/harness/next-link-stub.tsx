// Harness stand-in for next/link: a plain anchor.
import type { AnchorHTMLAttributes } from "react";

export default function Link({ href, prefetch, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; prefetch?: boolean }) {
  void prefetch;
  return <a href={href} {...rest} />;
}
