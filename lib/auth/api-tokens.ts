import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { ApiError } from "@/lib/api/errors";
import type { Actor, Role } from "@/lib/auth/roles";
import type { Queryable } from "@/lib/db/runs/run-columns";

// API tokens for scripts: `sy_<random>`, shown once; only the SHA-256 is stored. A token expires
// (90 days unless told otherwise), can be revoked, and stops working with its user's account;
// a refused token gets a 401 that says why, so the script's owner knows what to renew.

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const DEFAULT_TOKEN_DAYS = 90;
/** A token's name names its actor in the audit log (token:<name>): one line, nothing hidden in it. */
export const TOKEN_NAME = /^[^\p{Cc}\p{Cf}]{1,200}$/u;

export async function createApiToken(db: Queryable, userId: string, name: string, expiresAt: Date | null = new Date(Date.now() + DEFAULT_TOKEN_DAYS * 86_400_000)): Promise<{ id: string; token: string; expiresAt: Date | null }> {
  const token = `sy_${randomBytes(24).toString("base64url")}`;
  const id = randomUUID();
  await db.query("INSERT INTO api_tokens (id, user_id, name, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)", [id, userId, name, hashToken(token), expiresAt]);
  return { id, token, expiresAt };
}

type TokenRow = { token_id: string; id: string; email: string; role: Role; token_name: string; expired: boolean; revoked: boolean; disabled: boolean; stale_use: boolean };

export async function actorForToken(db: pg.Pool, token: string): Promise<Actor | null> {
  const r = await db.query<TokenRow>(
    `SELECT t.id AS token_id, u.id, u.email, u.role, t.name AS token_name,
            (t.expires_at IS NOT NULL AND t.expires_at <= now()) AS expired, t.revoked_at IS NOT NULL AS revoked,
            u.disabled_at IS NOT NULL AS disabled,
            (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale_use
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1`,
    [hashToken(token)],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (row.revoked) throw new ApiError(401, "token_revoked", `the API token "${row.token_name}" was revoked; make a new one on your Account page (/account), or ask an admin`);
  if (row.expired) throw new ApiError(401, "token_expired", `the API token "${row.token_name}" has expired; make a new one on your Account page (/account) or with switchyard user token --email ${row.email} --name …`);
  if (row.disabled) throw new ApiError(401, "user_disabled", `the account ${row.email} is disabled, and its tokens with it`);
  // last use is kept to the minute: one write a minute per token, not one per request
  if (row.stale_use) await db.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [row.token_id]).catch(() => {});
  return { kind: "token", id: row.id, name: row.email, role: row.role, tokenName: row.token_name };
}

export type TokenListing = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null };

export async function listTokens(db: pg.Pool, userId: string): Promise<TokenListing[]> {
  const r = await db.query("SELECT id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at", [userId]);
  return r.rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, expiresAt: row.expires_at, revokedAt: row.revoked_at }));
}

/** Create a user directly (first admin, tests, the CLI). Sign-in credentials are the auth layer's business. */
export async function createUser(db: pg.Pool, user: { email: string; name: string; role: Role }): Promise<string> {
  const id = randomUUID();
  await db.query("INSERT INTO users (id, name, email, role, email_verified) VALUES ($1, $2, $3, $4, true)", [id, user.name, user.email, user.role]);
  return id;
}
