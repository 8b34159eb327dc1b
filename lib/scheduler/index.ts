import type { AddressInfo } from "node:net";
import pg from "pg";
import { createLogger, type Logger } from "@/lib/log/logger";
import { coreConfigOf, type SchedulerConfig } from "@/lib/scheduler/config";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { createHttpServer } from "@/lib/scheduler/http/http-server";
import { Metrics } from "@/lib/scheduler/http/metrics";
import { RpcAudit } from "@/lib/scheduler/http/rpc-audit";
import { createRequestHandler } from "@/lib/scheduler/http/server";
import { MemoryDurability, SchedulerService, type Durability } from "@/lib/scheduler/service";

// Entry point of the scheduler as a library: builds the scheduler, its durability (PostgreSQL when
// a database URL is given), the HTTP server and the prune timer, and tears them down in order.

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
};

export type SchedulerServer = { url: string; scheduler: Scheduler; close(): Promise<void> };

export async function startSchedulerServer(opts: SchedulerServerOptions): Promise<SchedulerServer> {
  const logger = opts.logger ?? createLogger("scheduler");
  for (const warning of opts.config.warnings) logger.warn(warning);
  const scheduler = new Scheduler(coreConfigOf(opts.config), opts.clock);
  const durability: Durability = opts.databaseUrl ? await openDurability(scheduler, opts.databaseUrl, logger, opts.config.server.synchronous_commit === "on") : new MemoryDurability(scheduler);
  const service = new SchedulerService(scheduler, durability);
  const metrics = new Metrics();
  // Operators' RPCs are audited in the same database, on a small pool of their own.
  const auditPool = opts.databaseUrl ? new pg.Pool({ connectionString: opts.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 }) : null;
  auditPool?.on("error", (error) => logger.warn("audit connection lost", { error }));
  const audit = new RpcAudit(auditPool, logger);
  const server = createHttpServer(opts.config.server, createRequestHandler({ service, config: opts.config, metrics, logger, audit }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const pruneEvery = opts.config.server.prune_interval;
  const timer = pruneEvery > 0 ? setInterval(() => void service.execute("prune", {}).catch((error) => logger.warn("timed prune failed", { error })), pruneEvery * 1000) : null;
  timer?.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  logger.info(`listening on http://${host}:${address.port}${opts.config.access.users.size > 0 ? " (Basic auth on)" : ""}`);
  if (opts.config.access.users.size === 0 && !/^(127\.|\[?::1\]?$|localhost$)/.test(opts.host)) {
    logger.warn(`the scheduler listens on ${opts.host} without authentication: anyone who reaches it can run its RPCs; set SCHEDULER_AUTH_USERS=user:secret`);
  }
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    scheduler,
    close() {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await durability.close();
        await auditPool?.end();
      })();
      return closing;
    },
  };
}

async function openDurability(scheduler: Scheduler, databaseUrl: string, logger: Logger, synchronousCommit: boolean): Promise<Durability> {
  const { openPostgresDurability } = await import("@/lib/scheduler/store/postgres-durability");
  return openPostgresDurability(scheduler, databaseUrl, logger, synchronousCommit);
}
