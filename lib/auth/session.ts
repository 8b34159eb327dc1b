import type { Actor, Role } from "@/lib/auth/roles";
import { getAuth } from "@/lib/auth/server";
import { isConnectionError } from "@/lib/db/outage";

// Resolves a request's session cookie (better-auth) to the signed-in user.
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  if (!headers.get("cookie")) return null;
  const session = await getAuth()
    .api.getSession({ headers })
    .catch((error: Error & { cause?: unknown }) => {
      // better-auth wraps a failed lookup as "Failed to get session"; the database being away is
      // said as such (the API's 503 database_unavailable, one WARN line for the outage), not as a 500
      throw isConnectionError(error.cause) ? error.cause : error;
    });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: Role };
  // A disabled account has no session: `switchyard user disable` deletes its sessions and the
  // sign-in hook (auth.ts) refuses it a new one, so no per-request check is needed here.
  return { kind: "user", id: user.id, name: user.email, role: user.role ?? "viewer" };
}
