import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { safeNext } from "@/lib/auth/safe-next";

// Pages ask a visitor with no session cookie to sign in first, remembering where they were going.
// Only the cookie's presence is checked here (cheap, no database); every page and API route still
// verifies the session itself (requireActor, withApi), so a stale cookie gets the same answer.

export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  // The path is ours, but `//evil.example` is a path too: only what resolves on this origin is remembered
  // (the sign-in page checks again, since anyone can write a sign-in link).
  url.search = `?next=${encodeURIComponent(safeNext(request.nextUrl.pathname + request.nextUrl.search))}`;
  return NextResponse.redirect(url);
}

export const config = {
  // every page except sign-in, first-admin set-up, /metrics and static files (public/: icons, manifest); the API and /metrics answer 401 on their own
  matcher: ["/((?!api/|_next/|sign-in|setup|metrics|favicon\\.ico|favicon\\.svg|icon-192\\.png|icon-512\\.png|apple-touch-icon\\.png|manifest\\.webmanifest).*)"],
};
