// Where to go after sign-in: only a page of this site. Checking the string's first characters is
// not enough — browsers read `/\evil.example` and `/%5Cevil.example`-style paths as
// protocol-relative URLs — so the path is resolved as the browser would and kept only when it stays
// on our own origin. What comes back is the path, query and fragment, never an absolute URL.

const BASE = "http://switchyard.invalid";

export function safeNext(value: string | string[] | null | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  // the path as the URL parser normalised it: backslashes and dot segments are resolved
  const path = `${url.pathname}${url.search}${url.hash}`;
  // ...and checked again: resolving can itself make a protocol-relative path ("/.//evil.example"
  // becomes "//evil.example"), which the redirect and the browser would then take off-site
  if (path.startsWith("//") || new URL(path, BASE).origin !== BASE) return "/";
  return path;
}
