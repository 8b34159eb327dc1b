import { createHash, randomBytes, randomUUID } from "node:crypto";
import { withTransaction } from "@/lib/db/transaction";
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { checkNewUser, countUsers, createUserWithPassword, type NewUser } from "@/lib/auth/users";

// The first admin. While there are no users, `switchyard start` prints a one-time link
// (/setup?token=...); the token's SHA-256 is kept in verifications for 24 hours, and the
// link works once. Each start replaces the previous link.

const IDENTIFIER = "switchyard:first-admin";
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new one-time token, or null when someone has already set up users. */
export async function issueFirstAdminToken(pool: pg.Pool): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    await client.query("LOCK TABLE users IN SHARE MODE");
    const { rows } = await client.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM users) AS any");
    if (rows[0].any) return null;
    const token = randomBytes(24).toString("base64url");
    await client.query("DELETE FROM verifications WHERE identifier = $1", [IDENTIFIER]);
    await client.query("INSERT INTO verifications (id, identifier, value, expires_at) VALUES ($1, $2, $3, now() + interval '24 hours')", [
      randomUUID(),
      IDENTIFIER,
      hash(token),
    ]);
    return token;
  });
}

export async function firstAdminTokenValid(pool: pg.Pool, token: string): Promise<boolean> {
  const { rows } = await pool.query("SELECT 1 FROM verifications WHERE identifier = $1 AND value = $2 AND expires_at > now()", [IDENTIFIER, hash(token)]);
  return rows.length > 0;
}

export class SetupRefused extends Error {}

/** Spends the token (once: the DELETE decides) and creates the admin. */
export async function createFirstAdmin(pool: pg.Pool, token: string, user: Omit<NewUser, "role">): Promise<{ id: string }> {
  const problem = checkNewUser({ ...user, role: "admin" });
  if (problem) throw new SetupRefused(problem);
  if ((await countUsers(pool)) > 0) throw new SetupRefused("Switchyard already has users: sign in, or ask an admin for an account");
  const spent = await pool.query("DELETE FROM verifications WHERE identifier = $1 AND value = $2 AND expires_at > now()", [IDENTIFIER, hash(token)]);
  if (spent.rowCount === 0) {
    await recordAudit(pool, { actor: "anonymous", action: "setup.first-admin", targetType: "user", targetId: user.email, outcome: "denied", result: { error: "invalid or used link" } });
    throw new SetupRefused("this set-up link is invalid, expired or already used; restart `switchyard start` for a new one (it is printed only while there are no users)");
  }
  const created = await createUserWithPassword(pool, { ...user, role: "admin" });
  await recordAudit(pool, { actor: `user:${user.email.trim().toLowerCase()}`, action: "setup.first-admin", targetType: "user", targetId: created.id, outcome: "ok", result: { role: "admin" } });
  return created;
}
