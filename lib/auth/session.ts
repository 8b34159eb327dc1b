import type { Actor, Role } from "@/lib/auth/roles";
import { getAuth } from "@/lib/auth/server";

// Resolves a request's session cookie (better-auth) to the signed-in user.
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  if (!headers.get("cookie")) return null;
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: Role };
  // A disabled account has no session: `switchyard user disable` deletes its sessions and the
  // sign-in hook (auth.ts) refuses it a new one, so no per-request check is needed here.
  return { kind: "user", id: user.id, name: user.email, role: user.role ?? "viewer" };
}
