import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import type { Actor, Role } from "@/lib/auth/roles";

// API tokens for scripts: `sy_<random>`, shown once; only the SHA-256 is stored.

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(db: pg.Pool, userId: string, name: string): Promise<{ id: string; token: string }> {
  const token = `sy_${randomBytes(24).toString("base64url")}`;
  const id = randomUUID();
  await db.query("INSERT INTO api_tokens (id, user_id, name, token_hash) VALUES ($1, $2, $3, $4)", [id, userId, name, hashToken(token)]);
  return { id, token };
}

export async function actorForToken(db: pg.Pool, token: string): Promise<Actor | null> {
  const r = await db.query<{ id: string; name: string; email: string; role: Role; token_name: string }>(
    `UPDATE api_tokens t SET last_used_at = now()
       FROM users u
      WHERE t.token_hash = $1 AND t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
      RETURNING u.id, u.name, u.email, u.role, t.name AS token_name`,
    [hashToken(token)],
  );
  const row = r.rows[0];
  return row ? { kind: "token", id: row.id, name: row.email, role: row.role, tokenName: row.token_name } : null;
}

/** Create a user directly (first admin, tests, the CLI). Sign-in credentials are the auth layer's business. */
export async function createUser(db: pg.Pool, user: { email: string; name: string; role: Role }): Promise<string> {
  const id = randomUUID();
  await db.query("INSERT INTO users (id, name, email, role, email_verified) VALUES ($1, $2, $3, $4, true)", [id, user.name, user.email, user.role]);
  return id;
}
