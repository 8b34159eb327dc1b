import { pathToFileURL } from "node:url";
import { createLogger } from "@/lib/log/logger";
import { resolveStaticDir } from "@/lib/scheduler/http/static-files";
import { loadSchedulerConfig, openSchedulerServer, SchedulerConfigError } from "@/lib/scheduler/index";

// `switchyard scheduler` (and `node --import tsx lib/scheduler/daemon.ts`): luigid's flags, start,
// then wait for SIGINT/SIGTERM to close the server and flush pending writes; a second signal, or a
// shutdown that hangs, exits forcefully. With a database, several may run: one is active (it holds
// the database's lock), the others listen as standbys (503, and on /healthz/ready) until it goes.

const USAGE = `usage: switchyard scheduler [--port 8082] [--address 127.0.0.1] [--config luigi.cfg]

Runs the Luigi-compatible central scheduler (luigid's RPC on /api/<method>).
  --port N            port to listen on (default SCHEDULER_PORT or 8082)
  --address, --host   address to bind (default SCHEDULER_HOST or 127.0.0.1; HOST is the web's)
  --config FILE       a luigi.cfg-style file with [scheduler], [resources], [cors], [switchyard]
                      (default: LUIGI_CONFIG_PATH if set)
Options can be overridden from the environment as LUIGI_SCHEDULER_<OPTION>.
SCHEDULER_AUTH_USERS=user:secret,... turns on Basic auth; SCHEDULER_ALLOWED_HOSTS lists extra Host names.
With DATABASE_URL set, every acknowledged change is stored in PostgreSQL, and one scheduler per
database is active: others started on it stand by (503) and take over when it goes away.
GET /healthz/ready answers 200 on the active scheduler only. Luigi's visualiser is served at
/static/visualiser/ from [switchyard] static_dir, or else from the Luigi that [switchyard] python
(default python3) imports.`;

type Args = { port: number; host: string; config?: string; help: boolean };

export function parseDaemonArgs(argv: string[], env: Record<string, string | undefined> = process.env): Args {
  const args: Args = { port: Number(env.SCHEDULER_PORT || 8082), host: env.SCHEDULER_HOST || "127.0.0.1", config: env.LUIGI_CONFIG_PATH || undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--port") {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--port must be a port number from 0 to 65535 (got ${JSON.stringify(v)})`);
      args.port = Number(v);
    } else if (flag === "--host" || flag === "--address") args.host = value();
    else if (flag === "--config") args.config = value();
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(args.port)) throw new Error("SCHEDULER_PORT must be a port number");
  return args;
}

export async function runSchedulerDaemon(argv: string[]): Promise<number> {
  const logger = createLogger("scheduler");
  let args: Args;
  try {
    args = parseDaemonArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  let server;
  try {
    const config = loadSchedulerConfig({ file: args.config });
    // looked up beside the start, not before it: importing Luigi takes Python ~0.25 s
    const staticDir = resolveStaticDir(config.server.static_dir, config.server.python, logger);
    const databaseUrl = process.env.DATABASE_URL || undefined;
    if (!databaseUrl) logger.warn("no DATABASE_URL: state is kept in memory only and lost when the scheduler stops");
    server = await openSchedulerServer({ host: args.host, port: args.port, config, databaseUrl, logger, staticDir });
  } catch (error) {
    logger.error(error instanceof SchedulerConfigError ? error.message : `could not start: ${(error as Error).message}`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    server.active.catch(async (error) => {
      if (stopping) return;
      stopping = true;
      logger.error(`could not start: ${(error as Error).message}`);
      await server.close().catch(() => {});
      resolve(1);
    });
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      logger.info(`${signal}: closing the server and flushing pending writes`);
      const force = setTimeout(() => {
        logger.error("shutdown took over 20 s: exiting");
        process.exit(1);
      }, 20_000);
      force.unref();
      server.close().then(
        () => resolve(0),
        (error) => {
          logger.error("shutdown failed", { error });
          resolve(1);
        },
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runSchedulerDaemon(process.argv.slice(2)).then((code) => process.exit(code));
}
