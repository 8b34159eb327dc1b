import pg from "pg";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { openDatabase } from "@/lib/cli/database";
import { CliError } from "@/lib/cli/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { DEFAULT_TOKEN_DAYS, listTokens } from "@/lib/auth/api-tokens";
import { roles, type Actor, type Role } from "@/lib/auth/roles";
import { ControlError } from "@/lib/control/errors";
import { createUserToken, passwordLinkAction, revokeUserToken, setUserDisabled, setUserRole } from "@/lib/control/users";
import { createUserWithPassword, UserExists } from "@/lib/auth/users";
import { loadConfig } from "@/lib/config/env";
import { configuredPublicUrl } from "@/lib/config/public-url";
import { selectPeople } from "@/lib/db/queries/select-people";
import { createLogger } from "@/lib/log/logger";
import { parseWallDate } from "@/lib/time/zoned-time";

// Accounts from the command line: add a user with a role, list users, make an API token for a
// script. Works against DATABASE_URL or the embedded database (also while `switchyard start` runs).

const USAGE = `switchyard user add --email E --name N --role viewer|operator|admin [--password P]
switchyard user list
switchyard user token --email E --name TOKEN_NAME [--expires 90d|30d|2027-06-30|never]
switchyard user token --email E --revoke TOKEN_NAME|TOKEN_ID
switchyard user tokens --email E                 (each token with its last use and expiry)
switchyard user disable|enable --email E         (disable ends the user's sessions and tokens at once)
switchyard user role --email E --role viewer|operator|admin
switchyard user link --email E                   (a one-time link with which they set a new password: a forgotten one)
(the password may also come from SWITCHYARD_USER_PASSWORD, so it stays out of the shell history)`;

/** Who the audit log names for a change made here: whoever can reach the database. */
const CLI: Actor = { kind: "system", id: "cli", name: "cli", role: "admin" };

const ACTIONS = ["add", "list", "token", "tokens", "disable", "enable", "role", "link"];

/** --expires: "90d" (days from now), a date, or "never"; the default is 90 days. */
export function parseExpiry(value: string | undefined, now = Date.now()): Date | null {
  if (value === undefined) return new Date(now + DEFAULT_TOKEN_DAYS * 86_400_000);
  if (value === "never") return null;
  const days = /^(\d{1,4})d$/.exec(value);
  if (days && Number(days[1]) > 0) return new Date(now + Number(days[1]) * 86_400_000);
  // a day in the calendar: JavaScript takes 2027-02-31 for March 3rd
  if (parseWallDate(value) && Date.parse(`${value}T23:59:59Z`) > now) return new Date(`${value}T23:59:59Z`);
  throw new UsageError(`--expires must be a number of days (90d), a future date (2027-06-30) or never (got ${JSON.stringify(value)})`);
}

export const user: Command = {
  name: "user",
  summary: "Add users, list them, and make API tokens for scripts.",
  usage: USAGE,
  flags: {
    email: { type: "string", help: "the user's e-mail address (their sign-in name)" },
    name: { type: "string", help: "the user's display name; for `token`, the token's name" },
    role: { type: "string", help: "viewer (read only), operator (may act) or admin (may also edit services and users)" },
    password: { type: "string", help: "at least 10 characters (or set SWITCHYARD_USER_PASSWORD)" },
    expires: { type: "string", help: "for `token`: 90d (default), a number of days, a date, or never" },
    revoke: { type: "string", help: "for `token`: revoke this user's tokens of that name, or the one with that id (see `user tokens`)" },
  },
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, this.flags);
    const [action, ...extra] = positionals;
    if (!action || !ACTIONS.includes(action) || extra.length) throw new UsageError(`expected ${ACTIONS.join(", ")}\n${USAGE}`);
    const need = (name: string) => {
      const v = flags[name];
      if (typeof v !== "string" || !v.trim()) throw new UsageError(`user ${action} needs --${name}`);
      return v.trim();
    };
    const config = loadConfig();
    const logger = createLogger("user", "warn"); // stdout carries the answer (a token) alone
    const db = await openDatabase(config, logger);
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      if (action === "list") {
        // as the People page lists them: enabled first; the state says disabled, invited, or when they last signed in
        const people = await selectPeople(pool);
        for (const p of people) {
          const state = p.disabledAt ? "disabled" : !p.hasPassword ? "invited (no password yet)" : p.lastSignInAt ? `last sign-in ${p.lastSignInAt.slice(0, 16).replace("T", " ")}` : "never signed in";
          console.log(`${p.email}\t${p.role}\t${p.name}\t${p.createdAt}\t${state}`);
        }
        if (!people.length) console.log("no users yet (`switchyard start` prints a link that creates the first admin)");
        return 0;
      }
      const email = need("email").toLowerCase();
      if (action === "add") {
        const role = need("role");
        if (!(roles as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${roles.join(", ")} (got ${JSON.stringify(role)})`);
        const password = typeof flags.password === "string" ? flags.password : process.env.SWITCHYARD_USER_PASSWORD;
        if (!password) throw new UsageError("user add needs --password or SWITCHYARD_USER_PASSWORD");
        try {
          const { id } = await createUserWithPassword(pool, { email, name: need("name"), password, role: role as Role });
          await recordAudit(pool, { actor: "system:cli", action: "user.add", targetType: "user", targetId: id, outcome: "ok", result: { email, role } });
        } catch (error) {
          if (error instanceof UserExists) throw new CliError(error.message, 1);
          if (error instanceof Error && /^(email|name|password):/.test(error.message)) throw new UsageError(error.message);
          throw error;
        }
        console.log(`added ${email} as ${role}`);
        return 0;
      }
      const found = await pool.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
      if (!found.rows[0]) throw new CliError(`no user with the e-mail ${email}; add one with \`switchyard user add\``, 1);
      const userId = found.rows[0].id;
      if (action === "tokens") {
        const tokens = await listTokens(pool, userId);
        const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");
        for (const t of tokens) {
          const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? "expired" : "active";
          console.log(`${t.name}\t${state}\tcreated ${when(t.createdAt)}\tlast used ${when(t.lastUsedAt)}\texpires ${t.expiresAt ? when(t.expiresAt) : "never"}\tid ${t.id}`);
        }
        if (!tokens.length) console.log(`${email} has no API tokens`);
        return 0;
      }
      // role, disable, enable, token and --revoke are the People and Account pages' actions, audited the same way
      // (return await: the finally below ends the pool)
      const refusalsAsCliErrors = async <T,>(run: () => Promise<T>): Promise<T> => {
        try {
          return await run();
        } catch (error) {
          if (error instanceof ControlError && error.refusal) throw new CliError(error.message, 1);
          throw error;
        }
      };
      const change = async (run: () => Promise<{ message: string }>) => {
        console.log((await refusalsAsCliErrors(run)).message);
        return 0;
      };
      if (action === "disable" || action === "enable") return await change(() => setUserDisabled(pool, CLI, { user: email }, action === "disable"));
      if (action === "role") {
        const role = need("role");
        if (!(roles as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${roles.join(", ")} (got ${JSON.stringify(role)})`);
        return await change(() => setUserRole(pool, CLI, { user: email, role: role as Role }));
      }
      if (action === "link") {
        const answer = await refusalsAsCliErrors(() => passwordLinkAction(pool, CLI, { user: email }));
        // the dashboard's address as people reach it (the alerts' links use the same); the link alone on stdout
        const site = configuredPublicUrl() ?? `http://127.0.0.1:${process.env.PORT || "3000"}`;
        console.log(`${site}${answer.link}`);
        console.error(`Send it to ${email}: it sets a new password once, until ${answer.expiresAt.slice(0, 16).replace("T", " ")} UTC. (Set SWITCHYARD_PUBLIC_URL if people reach the dashboard at another address.)`);
        return 0;
      }
      if (typeof flags.revoke === "string") {
        const token = flags.revoke;
        return await change(() => revokeUserToken(pool, CLI, { user: email, token }));
      }
      const expiresAt = parseExpiry(typeof flags.expires === "string" ? flags.expires : undefined);
      const made = await refusalsAsCliErrors(() => createUserToken(pool, CLI, { user: email, name: need("name"), expiresAt }));
      console.log(made.token);
      console.error(`This token is shown once${expiresAt ? ` and works until ${expiresAt.toISOString().slice(0, 10)}` : " and never expires"}. Send it as \`Authorization: Bearer <token>\`; it acts with the user's role.`);
      return 0;
    } finally {
      await pool.end();
      await db.stop();
    }
  },
};
