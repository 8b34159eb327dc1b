import type http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { POOL_TIMEOUTS } from "@/lib/db/pool-timeouts";
import { createLogger, type Logger } from "@/lib/log/logger";
import { coreConfigOf, type SchedulerConfig } from "@/lib/scheduler/config";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { createHttpServer } from "@/lib/scheduler/http/http-server";
import { startHistoryRetention } from "@/lib/scheduler/history-retention";
import { Metrics } from "@/lib/scheduler/http/metrics";
import { RpcAudit } from "@/lib/scheduler/http/rpc-audit";
import { createRequestHandler } from "@/lib/scheduler/http/server";
import { MemoryDurability, RpcError, SchedulerService, type Durability } from "@/lib/scheduler/service";
import { READY_PATH, SERVING_PATH, sendReadiness, sendStandby } from "@/lib/scheduler/standby";
import { forwardKey } from "@/lib/scheduler/http/access";
import { forward, forwardable } from "@/lib/scheduler/http/forward";

// Entry point of the scheduler as a library: the HTTP server, then — with a database — the wait
// for the active lock (answering 503 as a standby meanwhile), the restore, and the durability,
// service and prune timer of the active scheduler; all torn down in order by close(). A process
// that finds another scheduler took over while it was cut off throws its state away and stands by.

export type { SchedulerConfig } from "@/lib/scheduler/config";
export { loadSchedulerConfig, defaultSchedulerConfig, SchedulerConfigError } from "@/lib/scheduler/config";

export type SchedulerServerOptions = {
  host: string;
  port: number;
  config: SchedulerConfig;
  databaseUrl?: string;
  logger?: Logger;
  /** Epoch seconds; tests drive it to replay recorded traffic deterministically. */
  clock?: () => number;
  /** Where /static/ serves from once known (http/static-files.ts resolveStaticDir); default config's static_dir. */
  staticDir?: Promise<string>;
};

/** `checkpoint()`: every acknowledged change is in the state tables and the history once it resolves (store/journal.ts). */
export type SchedulerServer = { url: string; readonly scheduler: Scheduler; checkpoint(): Promise<void>; close(): Promise<void> };
/** A server that may still be a standby: `active` resolves once it serves (rejects if it cannot start). */
export type SchedulerProcess = { url: string; readonly scheduler: Scheduler | null; readonly role: "standby" | "active"; active: Promise<void>; checkpoint(): Promise<void>; close(): Promise<void> };

type Active = { scheduler: Scheduler; durability: Durability; handler: http.RequestListener; timer: NodeJS.Timeout | null };

/** Starts and waits until this process is the active scheduler (at once without a database). */
export async function startSchedulerServer(opts: SchedulerServerOptions): Promise<SchedulerServer> {
  const proc = await openSchedulerServer(opts);
  try {
    await proc.active;
  } catch (error) {
    await proc.close();
    throw error;
  }
  return { url: proc.url, close: proc.close, checkpoint: proc.checkpoint, get scheduler() { return proc.scheduler!; } }; // prettier-ignore
}

/** Listens at once (as a standby), then becomes active when it holds the database's lock. */
export async function openSchedulerServer(opts: SchedulerServerOptions): Promise<SchedulerProcess> {
  const logger = opts.logger ?? createLogger("scheduler");
  for (const warning of opts.config.warnings) logger.warn(warning);
  const metrics = new Metrics();
  let active: Active | null = null;
  let closed = false;
  let cancelWait: (() => Promise<void>) | null = null;

  // Operators' RPCs are audited in the same database, on a small pool of their own.
  const auditPool = opts.databaseUrl ? new pg.Pool({ connectionString: opts.databaseUrl, max: 2, ...POOL_TIMEOUTS }) : null;
  auditPool?.on("error", (error) => logger.warn("audit connection lost", { error }));
  const audit = new RpcAudit(auditPool, logger);

  // While standing by: where the active process says it is (its leader row), to forward to.
  let activeUrl: () => string | null = () => null;
  const advertised = opts.config.server.advertise_url || null;
  const signing = opts.databaseUrl ? forwardKey(opts.databaseUrl) : null;
  const isPath = (url: string, path: string) => url === path || url.startsWith(path + "?");
  const server = createHttpServer(opts.config.server, (req, res) => {
    const url = req.url ?? "/";
    if (isPath(url, READY_PATH)) return sendReadiness(res, active !== null && active.durability.ready());
    if (isPath(url, SERVING_PATH)) return sendReadiness(res, active !== null || activeUrl() !== null, active ? "active" : "standby");
    if (active) return active.handler(req, res);
    if (url === "/metrics") return sendStandby(res, metrics.render(null));
    const target = activeUrl();
    // (a standby exists only with a database, so there is always a key to sign with)
    if (signing && forwardable(req, target, advertised)) {
      metrics.forwarded++;
      return forward(req, res, target, opts.config.server.request_timeout * 1000, signing);
    }
    sendStandby(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const stopLoopProbe = metrics.probeEventLoop();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  logger.info(`listening on http://${host}:${address.port}${opts.config.access.users.size > 0 ? " (Basic auth on)" : ""}`);
  if (opts.config.access.users.size === 0 && !/^(127\.|\[?::1\]?$|localhost$)/.test(opts.host)) {
    logger.warn(`the scheduler listens on ${opts.host} without authentication: anyone who reaches it can run its RPCs; set SCHEDULER_AUTH_USERS=user:secret`);
  }

  const becomeActive = async (): Promise<void> => {
    const scheduler = new Scheduler(coreConfigOf(opts.config), opts.clock);
    let durability: Durability;
    if (opts.databaseUrl) {
      const { openActiveDurability } = await import("@/lib/scheduler/store/postgres-durability");
      const opened = openActiveDurability(
        scheduler,
        opts.databaseUrl,
        logger,
        { synchronousCommit: opts.config.server.synchronous_commit === "on", checkpointSeconds: opts.config.server.checkpoint_interval, advertiseUrl: advertised },
        () => void standDown(),
      );
      cancelWait = opened.cancel;
      metrics.standby = opened.standby;
      activeUrl = opened.activeUrl;
      durability = await opened.durability;
      cancelWait = null;
      if (closed) return void (await durability.close());
    } else durability = new MemoryDurability(scheduler);
    const service = new SchedulerService(scheduler, durability);
    const handler = createRequestHandler({ service, config: opts.config, metrics, logger, audit, forwardKey: signing, staticDir: opts.staticDir });
    const pruneEvery = opts.config.server.prune_interval;
    // While the database is away the prune is refused like every change (the outage is logged once, by the durability): no line a minute for it.
    const quietWhileAway = (error: unknown) => error instanceof RpcError && error.code === "database_unavailable";
    const timer = pruneEvery > 0 ? setInterval(() => void service.execute("prune", {}).catch((error) => quietWhileAway(error) || logger.warn("timed prune failed", { error })), pruneEvery * 1000) : null;
    timer?.unref();
    metrics.becameActive(durability);
    active = { scheduler, durability, handler, timer };
  };

  const retire = async (): Promise<void> => {
    const was = active;
    active = null;
    metrics.becameStandby();
    if (!was) return;
    if (was.timer) clearInterval(was.timer);
    await was.durability.close();
  };

  // Another scheduler became active while this one was cut off: drop the stale state, stand by.
  const standDown = async (): Promise<void> => {
    await retire();
    if (!closed) becomeActive().catch((error) => logger.error(`could not become active again: ${(error as Error).message}`));
  };

  // History retention runs beside whichever process is active (its advisory lock keeps two from pruning at once).
  const retention = opts.databaseUrl
    ? startHistoryRetention({ databaseUrl: opts.databaseUrl, retentionDays: opts.config.taskHistory.retention_days, intervalSeconds: opts.config.taskHistory.retention_interval, logger })
    : null;

  const activation = becomeActive();
  activation.catch(() => {}); // the caller gets it through `active`
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    get scheduler() {
      return active?.scheduler ?? null;
    },
    get role() {
      return active ? "active" : "standby";
    },
    active: activation,
    checkpoint: async () => active?.durability.checkpoint(),
    close() {
      closing ??= (async () => {
        closed = true;
        await cancelWait?.();
        await activation.catch(() => {});
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await retire();
        stopLoopProbe();
        await auditPool?.end();
        await retention?.stop();
      })();
      return closing;
    },
  };
}
