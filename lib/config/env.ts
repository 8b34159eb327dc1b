import path from "node:path";
import { z } from "zod";

// Every process parses its environment once, at boot, through this schema: a typo in a
// variable fails the start with a line naming it, not a stack trace at 3am.

const port = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a port number from 1 to 65535")
    .transform(Number)
    .pipe(z.number().int().min(1, "expected a port number from 1 to 65535").max(65535, "expected a port number from 1 to 65535"))
    .default(fallback);

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "expected a URL like postgresql://user:password@host:5432/database");

/** How long runners keep a run log nothing writes to any more (SWITCHYARD_RUN_LOG_DAYS). */
export const RUN_LOG_DAYS = 30;

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  APP_DATABASE_URL: postgresUrl.optional(),
  HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:\-\[\]]+$/, "expected a host name or IP address such as 127.0.0.1")
    .default("127.0.0.1"),
  PORT: port(3000),
  // The scheduler's own bind address: exposing the dashboard (HOST=0.0.0.0) must not expose the scheduler.
  SCHEDULER_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:\-\[\]]+$/, "expected a host name or IP address such as 127.0.0.1")
    .default("127.0.0.1"),
  SCHEDULER_PORT: port(8082),
  SWITCHYARD_PG_PORT: port(54329),
  SWITCHYARD_HOME: z.string().trim().min(1, "expected a folder path").optional(),
  // The machine a runner reports as its host (samples, runs' host, a restart's replacement):
  // in Kubernetes the node's name, not the pod's, which changes with every new pod.
  SWITCHYARD_HOST_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, "expected a host name such as node-1 (letters, digits, '.', '_', '-')")
    .optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], "expected one of debug, info, warn, error").default("info"),
  SWITCHYARD_LOG_DIR: z.string().trim().min(1, "expected a folder path").optional(),
  // the runner's health port as the web servers reach it: they read its run logs there
  SWITCHYARD_RUNNER_URL: z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && url.pathname === "/" && !url.search && !url.username;
      } catch {
        return false;
      }
    }, "expected the runner's address as the web servers reach it, such as http://10.0.3.17:9090 (no path)")
    .optional(),
  // whole days; 0 keeps every log
  SWITCHYARD_RUN_LOG_DAYS: z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a whole number of days (0 keeps every log)")
    .transform(Number)
    .pipe(z.number().max(36500, "expected at most 36500 days"))
    .default(RUN_LOG_DAYS),
});

export type Config = {
  databaseUrl: string | undefined;
  /** the least-privilege role the parts use with an external DATABASE_URL (which then only migrates) */
  appDatabaseUrl: string | undefined;
  host: string;
  port: number;
  schedulerHost: string;
  schedulerPort: number;
  embeddedPostgresPort: number;
  home: string;
  /** SWITCHYARD_HOST_NAME, if set: the host name a runner reports instead of os.hostname() */
  hostName: string | undefined;
  /** where runners write run logs, and the only folder the dashboard reads them from */
  runLogDir: string;
  /** a run log nothing wrote to for this many days is deleted by the runners; 0 keeps every log */
  runLogDays: number;
  /** SWITCHYARD_RUNNER_URL: where web servers read this runner's logs (its health port), without a trailing slash */
  runnerUrl: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parse the environment; empty strings count as unset, like most shells intend. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const given = input[name] === undefined ? "" : ` (got ${JSON.stringify(redact(name, input[name]))})`;
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.APP_DATABASE_URL,
    host: e.HOST,
    port: e.PORT,
    schedulerHost: e.SCHEDULER_HOST,
    schedulerPort: e.SCHEDULER_PORT,
    embeddedPostgresPort: e.SWITCHYARD_PG_PORT,
    home: homeFolder(env, cwd),
    hostName: e.SWITCHYARD_HOST_NAME,
    runLogDir: runLogFolder(env, cwd),
    runLogDays: e.SWITCHYARD_RUN_LOG_DAYS,
    runnerUrl: e.SWITCHYARD_RUNNER_URL?.replace(/\/+$/, ""),
    logLevel: e.LOG_LEVEL,
  };
}

/** SWITCHYARD_RUN_LOG_DAYS as the runners read it (RUN_LOG_DAYS where it is not a whole number). */
export function runLogDays(env: Record<string, string | undefined> = process.env): number {
  const value = env.SWITCHYARD_RUN_LOG_DAYS?.trim() ?? "";
  return /^\d+$/.test(value) ? Number(value) : RUN_LOG_DAYS;
}

/**
 * SWITCHYARD_HOME resolved: the data folder. Exported for the processes that read a file of it
 * without parsing the whole environment (the shared secret, the web's log reads).
 */
export function homeFolder(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  // a data folder chosen at run time: nothing for the build to trace
  return path.resolve(/* turbopackIgnore: true */ cwd, env.SWITCHYARD_HOME?.trim() || ".switchyard");
}

/**
 * The runners' log folder: SWITCHYARD_LOG_DIR, else SWITCHYARD_HOME/runs. Runners write there
 * (unless `switchyard runner --log-dir` says otherwise) and the dashboard reads logs from nowhere
 * else. Exported on its own for the web's log reads, which must not fail on an unrelated variable.
 */
export function runLogFolder(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  // a folder chosen at run time: nothing for the build to trace
  return path.resolve(/* turbopackIgnore: true */ cwd, env.SWITCHYARD_LOG_DIR?.trim() || path.join(homeFolder(env, cwd), "runs"));
}

/** Never echo a password back into a log line. */
function redact(name: string, value: string): string {
  if (name !== "DATABASE_URL" && name !== "APP_DATABASE_URL") return value;
  return value.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}

/** The variables, their defaults and meaning — the README's configuration table is written from this. */
export const configDocs: Array<{ name: string; fallback: string; meaning: string }> = [
  { name: "DATABASE_URL", fallback: "(embedded)", meaning: "PostgreSQL 15+ to use; unset starts an embedded PostgreSQL in SWITCHYARD_HOME" },
  { name: "APP_DATABASE_URL", fallback: "(DATABASE_URL)", meaning: "with DATABASE_URL: the app role the web, runner and scheduler use (`switchyard migrate --create-roles`)" },
  { name: "HOST", fallback: "127.0.0.1", meaning: "address the web app binds to" },
  { name: "PORT", fallback: "3000", meaning: "web app port" },
  { name: "SCHEDULER_HOST", fallback: "127.0.0.1", meaning: "address the scheduler binds to (not HOST: exposing the dashboard does not expose the scheduler)" },
  { name: "SCHEDULER_PORT", fallback: "8082", meaning: "Luigi-compatible scheduler port (luigid's)" },
  { name: "SWITCHYARD_PG_PORT", fallback: "54329", meaning: "port of the embedded PostgreSQL" },
  { name: "SWITCHYARD_HOME", fallback: ".switchyard", meaning: "data folder: embedded database, run logs, demo outputs" },
  { name: "LOG_LEVEL", fallback: "info", meaning: "debug, info, warn or error" },
  { name: "SWITCHYARD_LOG_DIR", fallback: "SWITCHYARD_HOME/runs", meaning: "the runners' log folder; the dashboard reads run logs from nowhere else" },
  { name: "SWITCHYARD_RUNNER_URL", fallback: "(none)", meaning: "a runner's `--health-port` as the web servers reach it, e.g. `http://10.0.3.17:9090`: they read its run logs there when they do not share its log folder" },
  { name: "SWITCHYARD_TRUSTED_PROXIES", fallback: "(none)", meaning: "the web's reverse proxies (addresses or CIDR ranges, comma-separated): only from them is X-Forwarded-For believed, for the sign-in rate limit and the sign-in audit" },
  { name: "SWITCHYARD_RUN_LOG_DAYS", fallback: "30", meaning: "runners delete a run log nothing wrote to for this many days; 0 keeps every log" },
];
