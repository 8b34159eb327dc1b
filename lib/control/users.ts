import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Actor, Role } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { requireEmailChannel } from "@/lib/control/email-link";
import type { Intent } from "@/lib/control/intents";
import { conflict, invalid, notFound } from "@/lib/control/errors";
import { createApiToken, TOKEN_NAME } from "@/lib/auth/api-tokens";
import { issuePasswordLink, PASSWORD_LINK_HOURS } from "@/lib/auth/password-links";
import type { Queryable } from "@/lib/db/runs/run-columns";

// What an admin does to an account: invite someone, change a role, disable or enable an account,
// make or revoke one of its API tokens, make a link that sets a new password. The People page (POST
// /api/v1/users, /api/v1/users/{user}/role|disable|enable|revoke-token|password-link), everyone's
// own Account page (/api/v1/account/tokens: their own tokens only) and `switchyard user` all come
// here, so each change commits with its audit row (user.invite, user.role, user.disable,
// user.enable, token.create, token.revoke, user.password-link; target: the user's id) or not at all.
//
// A user is named by its id or its e-mail address. Changes take effect at once: a session reads
// its user's role on every request (lib/auth/session.ts), disabling deletes the user's sessions,
// and a disabled user's tokens are refused (lib/auth/api-tokens.ts).
//
// Nobody can take away the last enabled admin — not by a role change, not by disabling: there
// would be no one left to undo it but someone with the database's password. Two admins demoting
// each other at once cannot both pass that check: every change here first takes one transaction
// lock (ACCOUNTS_LOCK), so they run one after the other.

const ACCOUNTS_LOCK = 0x5717_acc7;

type Account = { id: string; email: string; role: Role; disabled: boolean };

export type UserActionInput = { user: string; reason?: string };

/**
 * Runs one account change under audited(): the user is looked up first so that the audit row names
 * its id (or, when there is none, what was asked for), then locked and read again inside the
 * transaction.
 */
async function changeAccount<T>(
  pool: pg.Pool,
  actor: Actor,
  intent: Intent,
  input: UserActionInput,
  change: (db: Queryable, account: Account) => Promise<T>,
  summarise: (result: T) => unknown = (r) => r,
): Promise<T> {
  const lookup = "SELECT id, email, role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1 OR email = lower($1)";
  const found = await pool.query<Account>(lookup, [input.user.trim()]);
  const id = found.rows[0]?.id ?? null;
  return audited(
    pool,
    actor,
    { intent, targetId: id ?? input.user, reason: input.reason },
    async (db) => {
      await db.query("SELECT pg_advisory_xact_lock($1)", [ACCOUNTS_LOCK]);
      const account = id === null ? undefined : (await db.query<Account>(lookup, [id])).rows[0];
      if (!account) throw notFound(`user "${input.user}"`);
      return change(db, account);
    },
    summarise,
  );
}

/** Refuses a change that would leave no enabled admin. */
async function keepAnAdmin(db: Queryable, account: Account, change: string) {
  if (account.role !== "admin" || account.disabled) return;
  const others = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1", [account.id]);
  if (others.rows[0].n === 0)
    throw conflict(`${account.email} is the only enabled admin: ${change} would leave nobody who can manage accounts. Make someone else admin first.`, { code: "last_admin" });
}

export async function setUserRole(pool: pg.Pool, actor: Actor, input: UserActionInput & { role: Role }) {
  return changeAccount(pool, actor, "user.role", input, async (db, account) => {
    if (account.role === input.role) return { email: account.email, role: input.role, from: account.role, changed: false, message: `${account.email} is already ${input.role}` };
    if (input.role !== "admin") await keepAnAdmin(db, account, `making them ${input.role}`);
    await db.query("UPDATE users SET role = $2::user_role, updated_at = now() WHERE id = $1", [account.id, input.role]);
    return { email: account.email, role: input.role, from: account.role, changed: true, message: `${account.email} is now ${input.role} (was ${account.role}), from their next request on` };
  });
}

export async function setUserDisabled(pool: pg.Pool, actor: Actor, input: UserActionInput, disabled: boolean) {
  return changeAccount(pool, actor, disabled ? "user.disable" : "user.enable", input, async (db, account) => {
    if (account.disabled === disabled)
      return { email: account.email, disabled, changed: false, endedSessions: 0, message: `${account.email} was already ${disabled ? "disabled" : "enabled"}` };
    if (disabled) await keepAnAdmin(db, account, "disabling them");
    await db.query(`UPDATE users SET disabled_at = ${disabled ? "now()" : "NULL"}, updated_at = now() WHERE id = $1`, [account.id]);
    // sessions end at once; tokens stop by the check in actorForToken, and work again on enable
    const ended = disabled ? ((await db.query("DELETE FROM sessions WHERE user_id = $1", [account.id])).rowCount ?? 0) : 0;
    const message = disabled
      ? `${account.email} is disabled: signed out everywhere (${ended} session${ended === 1 ? "" : "s"} ended), their API tokens refused`
      : `${account.email} is enabled again: they can sign in, and their unexpired, unrevoked API tokens work again`;
    return { email: account.email, disabled, changed: true, endedSessions: ended, message };
  });
}

export async function revokeUserToken(pool: pg.Pool, actor: Actor, input: UserActionInput & { token: string }) {
  return changeAccount(pool, actor, "token.revoke", input, async (db, account) => {
    const r = await db.query<{ id: string; name: string }>(
      "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND (name = $2 OR id = $2) AND revoked_at IS NULL RETURNING id, name",
      [account.id, input.token],
    );
    if (!r.rowCount) throw notFound(`a live API token of ${account.email} named or with the id "${input.token}"`);
    const names = [...new Set(r.rows.map((t) => t.name))].join(", ");
    return {
      email: account.email,
      token: input.token,
      revoked: r.rowCount,
      tokenIds: r.rows.map((t) => t.id),
      message: `revoked ${r.rowCount} token${r.rowCount === 1 ? "" : "s"} (${input.token}) of ${account.email}${input.token === names ? "" : `: ${names}`}; refused from now on`,
    };
  });
}

/**
 * Makes an API token that acts as the user, with their role, until it expires (null: never). The
 * token itself is in the answer, once: only its SHA-256 is stored, and the audit row has neither.
 * Two tokens may share a name (`revoke` by id tells them apart).
 */
export async function createUserToken(pool: pg.Pool, actor: Actor, input: UserActionInput & { name: string; expiresAt: Date | null }) {
  return changeAccount(
    pool,
    actor,
    "token.create",
    input,
    async (db, account) => {
      if (!TOKEN_NAME.test(input.name)) throw invalid("a token's name is 1 to 200 characters, without line breaks or other control characters (it is shown in the audit log as token:<name>)");
      if (account.disabled) throw conflict(`${account.email} is disabled: a token of theirs would be refused. Enable them first`);
      const { id, token, expiresAt } = await createApiToken(db, account.id, input.name, input.expiresAt);
      const until = expiresAt ? `until ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "until it is revoked (it never expires)";
      return {
        id,
        email: account.email,
        name: input.name,
        expiresAt: expiresAt?.toISOString() ?? null,
        token,
        message: `The API token "${input.name}" acts as ${account.email}, with their role (${account.role}), ${until}. Send it as "Authorization: Bearer <token>". It is shown only now`,
      };
    },
    ({ token, message, ...rest }) => (void token, void message, rest),
  );
}

/** The page a password link opens (app/join); the caller puts its own origin in front. */
const joinPath = (token: string) => `/join?token=${token}`;

/** The link's token is for the person it is sent to: never in the audit log. */
function withoutLink<R extends { link: string }>(result: R): Omit<R, "link"> {
  const { link, ...rest } = result;
  void link;
  return rest;
}

/**
 * Invites someone: their account, with a role and no password yet, and a one-time link with which
 * they set one (lib/auth/password-links.ts). Audited as user.invite (without the link).
 */
export async function inviteUser(pool: pg.Pool, actor: Actor, input: { email: string; name: string; role: Role; emailVia?: string; reason?: string }) {
  const id = randomUUID();
  const email = input.email.trim().toLowerCase();
  return audited(
    pool,
    actor,
    { intent: "user.invite", targetId: id, reason: input.reason },
    async (db) => {
      // the link is e-mailed after this commits (email-link.ts); a channel that cannot send it refuses the invitation first
      if (input.emailVia) await requireEmailChannel(db, input.emailVia);
      const inserted = await db.query("INSERT INTO users (id, name, email, role, email_verified) VALUES ($1, $2, $3, $4, true) ON CONFLICT (email) DO NOTHING", [id, input.name.trim(), email, input.role]);
      if (!inserted.rowCount) throw conflict(`${email} already has an account: for a new password, use its Password link`, { code: "user_exists" });
      const { token, expiresAt } = await issuePasswordLink(db, id);
      return {
        id,
        email,
        role: input.role,
        link: joinPath(token),
        expiresAt: expiresAt.toISOString(),
        message: `${email} is invited as ${input.role}. Send them this link: with it they set their password, once, within ${PASSWORD_LINK_HOURS} hours. It is shown only now`,
      };
    },
    withoutLink,
  );
}

/** A new one-time link with which the person sets a new password (a forgotten one); the last link stops working. */
export async function passwordLinkAction(pool: pg.Pool, actor: Actor, input: UserActionInput & { emailVia?: string }) {
  return changeAccount(
    pool,
    actor,
    "user.password-link",
    input,
    async (db, account) => {
      if (account.disabled) throw conflict(`${account.email} is disabled: enable them first, then make the link`);
      if (input.emailVia) await requireEmailChannel(db, input.emailVia);
      const { token, expiresAt } = await issuePasswordLink(db, account.id);
      const hasPassword = (await db.query("SELECT 1 FROM accounts WHERE user_id = $1 AND provider_id = 'credential' AND password IS NOT NULL", [account.id])).rowCount;
      const what = hasPassword ? "a new password" : "their password (they were invited and have none yet)";
      return {
        id: account.id,
        email: account.email,
        link: joinPath(token),
        expiresAt: expiresAt.toISOString(),
        message: `Send ${account.email} this link: with it they set ${what}, once, within ${PASSWORD_LINK_HOURS} hours${hasPassword ? " (their current one works until then)" : ""}. Their earlier link no longer works. It is shown only now`,
      };
    },
    withoutLink,
  );
}
