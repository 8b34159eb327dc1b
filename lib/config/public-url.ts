// The dashboard's address as people reach it, for links that leave the page (a password link, the
// Account page's command line): SWITCHYARD_PUBLIC_URL when set (behind a proxy it is the only one
// that is right), else the address the request in hand came to.

/** SWITCHYARD_PUBLIC_URL without a trailing slash, or null when it is not set. */
export function configuredPublicUrl(env: Record<string, string | undefined> = process.env): string | null {
  return env.SWITCHYARD_PUBLIC_URL?.trim().replace(/\/+$/, "") || null;
}

/** The configured address, else the browser's Origin, else the Host the request was sent to, else `fallback`. */
export function siteOf(headers: Headers, fallback: string): string {
  const configured = configuredPublicUrl();
  if (configured) return configured;
  const origin = headers.get("origin");
  if (origin && /^https?:\/\/[^/]+$/.test(origin)) return origin;
  const host = headers.get("host");
  return host ? `${headers.get("x-forwarded-proto") ?? new URL(fallback).protocol.replace(/:$/, "")}://${host}` : fallback;
}
