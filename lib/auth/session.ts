import type { Actor, Role } from "@/lib/auth/roles";
import { getAuth } from "@/lib/auth/server";
import { getPool } from "@/lib/db/client";

// Resolves a request's session cookie (better-auth) to the signed-in user.
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  if (!headers.get("cookie")) return null;
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: Role };
  // `switchyard user disable` deletes the user's sessions; this also refuses one signed in after
  // (better-auth knows nothing of disabled accounts). One primary-key read.
  const disabled = await getPool().query("SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NOT NULL", [user.id]);
  if (disabled.rowCount) return null;
  return { kind: "user", id: user.id, name: user.email, role: user.role ?? "viewer" };
}
