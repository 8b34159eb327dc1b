import pg from "pg";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { openDatabase } from "@/lib/cli/database";
import { CliError } from "@/lib/cli/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { createApiToken } from "@/lib/auth/api-tokens";
import { roles, type Role } from "@/lib/auth/roles";
import { createUserWithPassword, UserExists } from "@/lib/auth/users";
import { loadConfig } from "@/lib/config/env";
import { createLogger } from "@/lib/log/logger";

// Accounts from the command line: add a user with a role, list users, make an API token for a
// script. Works against DATABASE_URL or the embedded database (also while `switchyard start` runs).

const USAGE = `switchyard user add --email E --name N --role viewer|operator|admin [--password P]
switchyard user list
switchyard user token --email E --name TOKEN_NAME
(the password may also come from SWITCHYARD_USER_PASSWORD, so it stays out of the shell history)`;

export const user: Command = {
  name: "user",
  summary: "Add users, list them, and make API tokens for scripts.",
  usage: USAGE,
  flags: {
    email: { type: "string", help: "the user's e-mail address (their sign-in name)" },
    name: { type: "string", help: "the user's display name; for `token`, the token's name" },
    role: { type: "string", help: "viewer (read only), operator (may act) or admin (may also edit services and users)" },
    password: { type: "string", help: "at least 10 characters (or set SWITCHYARD_USER_PASSWORD)" },
  },
  async run(argv) {
    const { flags, positionals } = parseArgs(argv, this.flags);
    const [action, ...extra] = positionals;
    if (!action || !["add", "list", "token"].includes(action) || extra.length) throw new UsageError(`expected add, list or token\n${USAGE}`);
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
        const { rows } = await pool.query<{ email: string; name: string; role: string; created_at: Date }>("SELECT email, name, role, created_at FROM users ORDER BY email");
        for (const r of rows) console.log(`${r.email}\t${r.role}\t${r.name}\t${r.created_at.toISOString()}`);
        if (!rows.length) console.log("no users yet (`switchyard start` prints a link that creates the first admin)");
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
      const { token } = await createApiToken(pool, found.rows[0].id, need("name"));
      await recordAudit(pool, { actor: "system:cli", action: "token.create", targetType: "user", targetId: found.rows[0].id, outcome: "ok", result: { email, name: flags.name } });
      console.log(token);
      console.error("This token is shown once. Send it as `Authorization: Bearer <token>`; it acts with the user's role.");
      return 0;
    } finally {
      await pool.end();
      await db.stop();
    }
  },
};
