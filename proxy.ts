import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { apiMisroute } from "@/lib/api/routes";
import { safeNext } from "@/lib/auth/safe-next";

// Pages ask a visitor with no session cookie to sign in first, remembering where they were going.
// Only the cookie's presence is checked here (cheap, no database); every page and API route still
// verifies the session itself (requireActor, withApi), so a stale cookie gets the same answer.
// An /api/v1 request for a path or a method that no route answers gets the API's JSON error with
// what does exist (lib/api/routes.ts), instead of Next.js's HTML 404 or bare 405.

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname === "/api/v1" || pathname.startsWith("/api/v1/")) {
    const miss = apiMisroute(request.method, pathname);
    return miss ? NextResponse.json(miss.body, { status: miss.status, headers: miss.headers }) : NextResponse.next();
  }
  if (getSessionCookie(request)) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  // The path is ours, but `//evil.example` is a path too: only what resolves on this origin is remembered
  // (the sign-in page checks again, since anyone can write a sign-in link).
  url.search = `?next=${encodeURIComponent(safeNext(pathname + request.nextUrl.search))}`;
  return NextResponse.redirect(url);
}

export const config = {
  // every page except sign-in, first-admin set-up, a password link (join), /metrics and static files (public/: icons, manifest);
  // the API and /metrics answer 401 on their own, and only /api/v1's unknown paths and methods are answered here
  matcher: [
    "/api/v1/:path*",
    "/((?!api/|_next/|sign-in|setup|join|metrics|favicon\\.ico|favicon\\.svg|icon-192\\.png|icon-512\\.png|apple-touch-icon\\.png|manifest\\.webmanifest).*)",
  ],
};
