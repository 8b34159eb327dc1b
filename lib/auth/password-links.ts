import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/users";
import { withTransaction } from "@/lib/db/transaction";
import type { Queryable } from "@/lib/db/runs/run-columns";

// One-time links that let a person set their own password: an admin makes one on the People page
// for someone they invite, or for someone who forgot theirs (lib/control/users.ts), and sends it.
// Only the token's SHA-256 is kept (in verifications, as the first-admin link's), one live link
// per account (a new one replaces the last), for PASSWORD_LINK_HOURS; /join spends it once.
// Setting the password ends the account's sessions, so a stolen session does not outlive it.

export const PASSWORD_LINK_HOURS = 72;
const PREFIX = "switchyard:password:";
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export class PasswordLinkRefused extends Error {}

/** A new link token for this account; its previous one stops working. */
export async function issuePasswordLink(db: Queryable, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(24).toString("base64url");
  await db.query("DELETE FROM verifications WHERE identifier = $1", [PREFIX + userId]);
  const r = await db.query<{ expires_at: Date }>(
    `INSERT INTO verifications (id, identifier, value, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [randomUUID(), PREFIX + userId, hash(token), PASSWORD_LINK_HOURS],
  );
  return { token, expiresAt: r.rows[0].expires_at };
}

/** Whose link this is, while it works (not spent, not expired, the account not disabled). */
export async function passwordLinkAccount(db: Queryable, token: string): Promise<{ userId: string; email: string; name: string } | null> {
  const { rows } = await db.query<{ id: string; email: string; name: string }>(
    `SELECT u.id, u.email, u.name FROM verifications v JOIN users u ON v.identifier = $2 || u.id
      WHERE v.value = $1 AND v.expires_at > now() AND u.disabled_at IS NULL`,
    [hash(token), PREFIX],
  );
  return rows[0] ? { userId: rows[0].id, email: rows[0].email, name: rows[0].name } : null;
}

/** Spends the link (the DELETE decides, so it works once) and sets the account's password. */
export async function spendPasswordLink(pool: pg.Pool, token: string, password: string, client: string | null): Promise<{ email: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new PasswordLinkRefused(`password: expected at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 128) throw new PasswordLinkRefused("password: at most 128 characters");
  const passwordHash = await hashPassword(password);
  return withTransaction(pool, async (db) => {
    const account = await passwordLinkAccount(db, token);
    const spent = account ? await db.query("DELETE FROM verifications WHERE identifier = $1 AND value = $2", [PREFIX + account.userId, hash(token)]) : null;
    if (!account || !spent?.rowCount) throw new PasswordLinkRefused("this link is invalid, expired or already used: ask an admin for a new one (People page, Password link)");
    const updated = await db.query("UPDATE accounts SET password = $2, updated_at = now() WHERE user_id = $1 AND provider_id = 'credential'", [account.userId, passwordHash]);
    if (!updated.rowCount)
      await db.query("INSERT INTO accounts (id, user_id, account_id, provider_id, password) VALUES ($1, $2, $2, 'credential', $3)", [randomUUID(), account.userId, passwordHash]);
    const ended = await db.query("DELETE FROM sessions WHERE user_id = $1", [account.userId]);
    await recordAudit(db, {
      actor: `user:${account.email}`,
      action: "user.password-set",
      targetType: "user",
      targetId: account.userId,
      outcome: "ok",
      result: { email: account.email, client, endedSessions: ended.rowCount ?? 0, first: !updated.rowCount },
    });
    return { email: account.email };
  });
}
