import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadAlertConfigOrLog } from "@/lib/alerts/alert-config";
import { startAlertLoop, type AlertLoop } from "@/lib/alerts/alert-loop";
import { parseArgs, UsageError, formatFlags } from "@/lib/cli/args";
import { exitWhenParentDies, onShutdown } from "@/lib/cli/lifecycle";
import { loadConfig } from "@/lib/config/env";
import { createPool } from "@/lib/db/pool";
import { createLogger } from "@/lib/log/logger";
import { repoRoot } from "@/lib/paths";
import { createClock } from "@/lib/runner/clock";
import { hostInfo } from "@/lib/runner/host/host-sampler";
import { createKubernetesLauncher } from "@/lib/runner/launchers/kubernetes/kubernetes-launcher";
import { createLocalLauncher } from "@/lib/runner/launchers/local/local-launcher";
import type { Launcher } from "@/lib/runner/launchers/types";
import { ExternalWatcher } from "@/lib/runner/external/external-watcher";
import { startHealthServer } from "@/lib/runner/health-server";
import { lazyLogReadKey } from "@/lib/runner/log-read-mark";
import { Runner } from "@/lib/runner/runner";
import { createSchedulerClient } from "@/lib/runner/scheduler-client";
import { loadServicesFile, ServicesFileError } from "@/lib/runner/services/load-services-file";
import { describeChanges, describeLimits, describeNotInFile, describeUntiedCommands, syncServicesFile } from "@/lib/runner/services/sync-services-file";
import { runnerFlagHelp, runnerFlagsSchema, type RunnerFlags } from "@/lib/schemas/runner-args";
import { formatPath } from "@/lib/runner/services/load-services-file";

// `switchyard runner`: wires the parts together, syncs the services file, runs until SIGTERM or
// SIGINT (or the parent `switchyard start` dies), then stops every run it started and exits.

export const RUNNER_USAGE = `usage: switchyard runner [--services switchyard.services.json] [options]

Triggers due daily and hourly runs, claims them from the shared queue in PostgreSQL, launches and
watches them, records their outcome, and samples this host. Needs DATABASE_URL.

Options:
${formatFlags({ ...runnerFlagHelp, help: { type: "boolean", help: "show this help" } })}`;

export function parseRunnerFlags(argv: string[]): RunnerFlags {
  const { flags, positionals } = parseArgs(argv, { ...runnerFlagHelp, help: { type: "boolean", help: "" } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const parsed = runnerFlagsSchema.safeParse(flags);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => (i.message.startsWith("--") ? i.message : `--${formatPath(i.path)}: ${i.message}`)).join("; "));
  if (parsed.data.launcher === "kubernetes" && !parsed.data["kube-image"]) throw new UsageError("--launcher kubernetes needs --kube-image");
  return parsed.data;
}

export async function runRunnerDaemon(argv: string[]): Promise<number> {
  let flags: RunnerFlags;
  try {
    flags = argv.includes("--help") || argv.includes("-h") ? ({ help: true } as RunnerFlags) : parseRunnerFlags(argv);
  } catch (error) {
    process.stderr.write(`switchyard runner: ${(error as Error).message}\n${RUNNER_USAGE}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${RUNNER_USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const logger = createLogger("runner", config.logLevel);
  if (!config.databaseUrl) {
    logger.error("DATABASE_URL is not set: the runner needs the shared PostgreSQL (switchyard start sets it)");
    return 2;
  }
  const alertConfig = loadAlertConfigOrLog(logger);
  if (!alertConfig) return 2;
  if (config.runnerUrl && !flags["health-port"]) {
    logger.error(`SWITCHYARD_RUNNER_URL (${config.runnerUrl}) is where the web servers read this runner's logs: it needs --health-port, which serves them`);
    return 2;
  }
  // A query without an answer is given up after 10 s, not POOL_TIMEOUTS' 30: a runner whose
  // heartbeat waited on a dead connection longer than the 15 s after which the others count it
  // dead would come back to find its healthy runs marked lost (its statements take milliseconds).
  const pool = createPool(config.databaseUrl, { max: 6, query_timeout: 10_000 });
  try {
    if (flags.services) {
      await syncAndReport(pool, flags.services, logger);
    }
  } catch (error) {
    await pool.end();
    logger.error(error instanceof ServicesFileError ? error.message : `could not sync the services: ${(error as Error).message}`);
    return 2;
  }
  const schedulerUrl = flags["scheduler-url"] ?? process.env.SCHEDULER_URL ?? `http://127.0.0.1:${config.schedulerPort}`;
  const host = hostInfo(config.hostName);
  const logDir = flags["log-dir"] ? path.resolve(flags["log-dir"]) : config.runLogDir;
  const runner = new Runner({
    pool,
    launcher: createLauncher(flags),
    scheduler: createSchedulerClient(schedulerUrl),
    logger,
    clock: createClock(flags["clock-speed"], flags["clock-start"] ? new Date(flags["clock-start"]) : undefined),
    host,
    logDir,
    logUrl: config.runnerUrl ?? null,
    runLogDays: config.runLogDays,
    maxRunning: flags["max-running"] ?? host.cpuCount,
    hostLimit: flags["host-limit"] ?? null,
    catchUp: { days: flags["catch-up-days"], hours: flags["catch-up-hours"] },
    trigger: !flags["no-trigger"],
  });
  // Runs launched elsewhere (cron, Jenkins) are recorded and followed from the history (issue 12).
  const external = new ExternalWatcher({ pool, logger });
  // the health port also serves this runner's logs to web servers that hold the shared secret
  const logKey = lazyLogReadKey();
  const health = flags["health-port"] ? startHealthServer({ pool, runnerId: () => runner.id, port: flags["health-port"], logs: { logDir, key: logKey } }) : null;
  let alerts: AlertLoop | null = null;
  const stopped = onShutdown(logger, async () => {
    await alerts?.stop();
    external.stop();
    health?.close();
    await runner.stop();
    await pool.end();
  }, 20_000);
  exitWhenParentDies(logger);
  if (flags.services) reloadOnHangup(pool, path.resolve(flags.services), logger);
  try {
    await runner.start();
    external.start();
  } catch (error) {
    logger.error(`could not start: ${(error as Error).message}`);
    await runner.stop().catch(() => {});
    await pool.end().catch(() => {});
    return 1;
  }
  alerts = startAlertLoop(pool, alertConfig, logger.child("alerts"), runner.id);
  await stopped;
  return 0;
}

/**
 * Reads and syncs the services file (at start, and again on SIGHUP), then logs what changed and
 * what the file leaves to watch: services it does not name that still run, and Luigi commands
 * that are not tied to their runs.
 */
async function syncAndReport(pool: ReturnType<typeof createPool>, file: string, logger: ReturnType<typeof createLogger>, reason?: string): Promise<void> {
  const loaded = loadServicesFile(path.resolve(file));
  const synced = await syncServicesFile(pool, loaded, { actor: "system:runner", source: file, reason });
  logger.info(`${reason ? `${reason}: re-synced` : "synced"} ${synced.services} services from ${file}`, { changes: [...describeChanges(synced.changes), ...describeLimits(synced.limits)] });
  for (const warning of [describeNotInFile(synced.notInFile, file), describeUntiedCommands(loaded)]) if (warning) logger.warn(warning);
}

/** SIGHUP re-reads the services file: a bad file is logged and changes nothing (the running config stays). */
function reloadOnHangup(pool: ReturnType<typeof createPool>, file: string, logger: ReturnType<typeof createLogger>) {
  process.on("SIGHUP", () => {
    void (async () => {
      try {
        await syncAndReport(pool, file, logger, "SIGHUP");
      } catch (error) {
        logger.error(`SIGHUP: kept the services as they were: ${(error as Error).message}`);
      }
    })();
  });
}

function createLauncher(flags: RunnerFlags): Launcher {
  if (flags.launcher === "kubernetes") return createKubernetesLauncher({ namespace: flags["kube-namespace"], image: flags["kube-image"]! });
  return createLocalLauncher({ cwd: repoRoot });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runRunnerDaemon(process.argv.slice(2)).then((code) => process.exit(code));
}
