import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { authSecret } from "@/lib/auth/secret";
import { issueFirstAdminToken } from "@/lib/auth/first-admin";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { openDatabase } from "@/lib/cli/database";
import { repoRoot as root } from "@/lib/paths";
import { Supervisor } from "@/lib/cli/supervisor";
import { CliError, PortTaken } from "@/lib/cli/errors";
import { loadServicesFile } from "@/lib/runner/services/load-services-file";
import type { ServicesFile } from "@/lib/schemas/services";
import { describeRetired, retireDemoServices } from "@/lib/runner/services/retire-demo";
import { loadConfig } from "@/lib/config/env";
import { applyMigrations } from "@/lib/db/migrate";
import { demoRunDatabaseUrl, grantAppRoleAfterMigrations } from "@/lib/cli/database";
import { createLogger, type Logger } from "@/lib/log/logger";
import { shellDatabaseUrl } from "@/lib/db/embedded";

// Everything on one machine, in one process tree: database → migrations → dashboard build
// (first start, or after the sources changed) → scheduler, runner, web. Ctrl-C or SIGTERM
// stops the parts first and the database last, leaving no process, port or lock behind.

export const start: Command = {
  name: "start",
  summary:
    "Run the whole system on this machine: PostgreSQL (embedded unless DATABASE_URL is set), migrations, scheduler, runner and the dashboard, with your services (--services FILE, or ./switchyard.services.json) or else the demo fleet. SIGHUP re-reads the services file.",
  usage: "switchyard start [--services FILE | --demo | --no-demo]",
  flags: {
    services: { type: "string", help: "your services file (default: ./switchyard.services.json when present)" },
    demo: { type: "boolean", help: "run the demo fleet even when ./switchyard.services.json exists" },
    "no-demo": { type: "boolean", help: "do not register the demo fleet's services" },
  },
  async run(argv) {
    const { flags } = parseArgs(argv, this.flags);
    const chosen = chooseServicesFile(flags);
    const servicesFile = chosen?.path ?? null;
    const began = Date.now();
    const config = loadConfig();
    const logger = createLogger("start", config.logLevel);
    await assertPortFree(config.port, config.host, "PORT");
    await assertPortFree(config.schedulerPort, config.schedulerHost, "SCHEDULER_PORT");

    const db = await openDatabase(config, logger, { restart: true });
    const supervisor = new Supervisor(root, logger, {
      ...process.env,
      // The parts connect as the app role: no schema changes, the audit only grows (issue 10).
      DATABASE_URL: db.appUrl,
      APP_DATABASE_URL: undefined,
      SWITCHYARD_HOME: config.home,
      // the runner and the web reach the scheduler (with its credentials, when auth is on) through this
      SCHEDULER_URL: schedulerClientUrl(config),
    });
    let stopped = false;
    // Aborts the migration or build under way, so a Ctrl-C during start leaves no child behind.
    const starting = new AbortController();
    const shutdown = async (why: string) => {
      if (stopped) return;
      stopped = true;
      logger.info(`${why}: stopping`);
      // a `start` or other command launched from now on waits for us instead of attaching
      db.embedded?.letGo();
      starting.abort();
      await supervisor.stop();
      await db.stop();
      logger.info("stopped");
    };
    process.once("SIGINT", () => void shutdown("SIGINT").then(() => process.exit(0)));
    process.once("SIGTERM", () => void shutdown("SIGTERM").then(() => process.exit(0)));
    process.on("SIGHUP", () => supervisor.signal("runner", "SIGHUP"));

    try {
      await applyMigrations(db.url, starting.signal);
      await grantAppRoleAfterMigrations(db);
      logger.info("database is migrated");
      // the secret the parts share (sessions, audited-call marks, sealed channel secrets), made
      // before any of them starts: the runner may seal a services file's channels before the web is up
      authSecret(config.home);
      await ensureBuild(logger, starting.signal);
    } catch (error) {
      if (stopped) return 0; // interrupted by Ctrl-C: shutdown() has already cleaned up
      await shutdown("start failed");
      throw error;
    }

    if (db.embedded) logger.info(`Other commands on this machine (switchyard migrate, a second runner) use ${shellDatabaseUrl(config.home, db.embedded.port)}`);
    if (chosen?.own) await retireDemo(db.appUrl, chosen.path, chosen.own, logger);
    const runDatabaseUrl = servicesFile === DEMO_SERVICES ? await demoRunDatabaseUrl(db, config.home, logger) : null;
    for (const part of parts(config, servicesFile, runDatabaseUrl)) {
      supervisor.start(part);
    }
    const url = `http://${config.host}:${config.port}`;
    const ready = await waitForHttp(`${url}/api/v1/health`, 120_000, supervisor.failed);
    if (ready !== true) {
      await shutdown(ready);
      return 1;
    }
    logger.info(`Switchyard is ready in ${((Date.now() - began) / 1000).toFixed(1)} s: ${url}  (Ctrl-C to stop)`);
    await printFirstAdminLink(db.appUrl, url, logger);
    const reason = await supervisor.failed;
    await shutdown(reason);
    return 1;
  },
};

/** Your services file on a home that ran the demo: the demo services it leaves out are disabled (retire-demo.ts). */
async function retireDemo(databaseUrl: string, servicesFile: string, own: ServicesFile, logger: Logger) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const message = describeRetired(await retireDemoServices(pool, own, servicesFile), servicesFile);
    if (message) logger.info(message);
  } catch (error) {
    logger.warn("could not disable the demo fleet's services", { error: error as Error });
  } finally {
    await pool.end();
  }
}

/** While nobody can sign in, print the one-time link that creates the first admin. */
async function printFirstAdminLink(databaseUrl: string, url: string, logger: Logger) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const token = await issueFirstAdminToken(pool);
    if (token) logger.info(`No users yet. Create the first admin (link valid once, for 24 h): ${url}/setup?token=${token}`);
  } catch (error) {
    logger.warn("could not issue the first-admin link", { error: error as Error });
  } finally {
    await pool.end();
  }
}

/**
 * The scheduler's URL for the other parts: a wildcard bind address is reached on loopback, and when
 * SCHEDULER_AUTH_USERS is set the first user's credentials go into the URL (Luigi's way of passing them).
 */
export function schedulerClientUrl(config: Pick<ReturnType<typeof loadConfig>, "schedulerHost" | "schedulerPort">, env: Record<string, string | undefined> = process.env): string {
  const host = config.schedulerHost === "0.0.0.0" || config.schedulerHost === "::" || config.schedulerHost === "[::]" ? "127.0.0.1" : config.schedulerHost;
  const url = new URL(`http://${host}:${config.schedulerPort}`);
  const first = env.SCHEDULER_AUTH_USERS?.split(",")[0]?.trim();
  if (first && first.indexOf(":") > 0) {
    url.username = encodeURIComponent(first.slice(0, first.indexOf(":")));
    url.password = encodeURIComponent(first.slice(first.indexOf(":") + 1));
  }
  return url.toString().replace(/\/$/, "");
}

/**
 * --services FILE, else ./switchyard.services.json, else the demo (unless --no-demo); checked
 * before anything starts. `own`: a team's file as read then (null for the demo's).
 */
function chooseServicesFile(flags: Record<string, string | boolean | number>): { path: string; own: ServicesFile | null } | null {
  if (flags.services && (flags.demo || flags["no-demo"])) throw new UsageError("--services cannot be combined with --demo or --no-demo");
  const inCwd = path.resolve("switchyard.services.json");
  const file = typeof flags.services === "string" ? path.resolve(flags.services) : !flags.demo && fs.existsSync(inCwd) ? inCwd : null;
  if (file) {
    try {
      return { path: file, own: loadServicesFile(file) };
    } catch (error) {
      throw new CliError(`${(error as Error).message}\n(check it with: switchyard services validate ${file})`, 2);
    }
  }
  return flags["no-demo"] ? null : { path: DEMO_SERVICES, own: null };
}

const DEMO_SERVICES = path.join(root, "pipelines/demo/switchyard.services.json");

function parts(config: ReturnType<typeof loadConfig>, servicesFile: string | null, runDatabaseUrl: string | null) {
  // The runner takes the scheduler's URL from SCHEDULER_URL, so credentials stay off its command line.
  const runnerArgs = ["runner"];
  if (servicesFile) runnerArgs.push("--services", servicesFile);
  return [
    { name: "scheduler", args: ["scheduler", "--port", String(config.schedulerPort), "--address", config.schedulerHost], stopLast: true },
    // A run sees only an allowlist of the runner's environment (run-environment.ts). The demo
    // fleet's pipelines keep their tables in this database, in the `demo` schema its own role
    // owns; a team's own services get no database unless they name one.
    { name: "runner", args: runnerArgs, env: runDatabaseUrl ? { SWITCHYARD_RUN_DATABASE_URL: runDatabaseUrl } : {} },
    { name: "web", args: ["web", "--port", String(config.port), "--host", config.host] },
  ];
}

/** Build the dashboard when there is no build, or when a source file is newer than it. */
async function ensureBuild(logger: Logger, signal: AbortSignal) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const newest = newestSource();
  if (builtAt > newest) return;
  logger.info(builtAt ? "sources changed since the last build: rebuilding the dashboard" : "building the dashboard (first start only, about a minute)");
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      signal,
    });
    child.once("error", () => resolve(1));
    child.once("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`the dashboard build failed (next build exited ${code}); its output is above`);
}

function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (!name.startsWith(".") && name !== "node_modules") visit(path.join(p, name));
    } else if (/\.(tsx?|css|mjs|json)$/.test(p) && !p.endsWith(".test.ts")) newest = Math.max(newest, st.mtimeMs);
  };
  for (const entry of ["app", "components", "lib", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs"]) visit(path.join(root, entry));
  return newest;
}

export function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new PortTaken(port, host, variable)));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number, failed: Promise<string>): Promise<true | string> {
  let failure: string | undefined;
  void failed.then((reason) => (failure = reason));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) return failure;
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return `the dashboard did not answer on ${url} within ${timeoutMs / 1000} s`;
}

/** node:http rather than fetch: fetch refuses the "bad ports" of the Fetch spec (22, 25, 6000, …). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && (res.statusCode < 500 || res.statusCode === 503));
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(false));
  });
}
