import type { Logger } from "@/lib/log/logger";

// The database going away (PostgreSQL restarting after a crash, a network cut, a failover) is a
// state, not an error per attempt: a daemon says so once (WARN) when it begins, once (INFO) when it
// ends, and keeps retrying quietly in between — no stack trace a second while an operator is
// already looking at the cause. Anything that is not a connection problem is still an error.

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** True for errors that mean "the database cannot be reached right now", as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  // 08xxx connection exceptions, 57P01-03 admin/crash shutdown and cannot-connect-now, 53300 too many connections
  if (e.code && (/^08/.test(e.code) || /^57P0[123]$/.test(e.code) || e.code === "53300")) return true;
  const m = e.message ?? "";
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|Connection ended unexpectedly/i.test(m);
}

export class OutageReporter {
  private since: Date | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly what = "the database",
  ) {}

  get downSince(): Date | null {
    return this.since;
  }

  /** Call with every failure: true (and logged once) when it is an outage, false when the caller should report it as an error. */
  failed(error: unknown): boolean {
    if (!isConnectionError(error)) return false;
    if (!this.since) {
      this.since = new Date();
      this.logger.warn(`${this.what} is unreachable (${(error as Error).message}); retrying quietly until it is back`);
    }
    return true;
  }

  /** Call after any success: logs once that the outage is over. */
  recovered(): void {
    if (!this.since) return;
    const seconds = Math.round((Date.now() - this.since.getTime()) / 100) / 10;
    this.since = null;
    this.logger.info(`${this.what} is reachable again after ${seconds} s`);
  }
}

/**
 * Runs `fn`, retrying while the database is unreachable (backoff from 250 ms to 5 s, for at most
 * `maxMs`): for writes that must not be lost to a restart of PostgreSQL, such as a run's outcome.
 */
export async function whileDatabaseDown<T>(fn: () => Promise<T>, opts: { reporter?: OutageReporter; maxMs?: number; stopped?: () => boolean } = {}): Promise<T> {
  const deadline = Date.now() + (opts.maxMs ?? 10 * 60_000);
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      const result = await fn();
      opts.reporter?.recovered();
      return result;
    } catch (error) {
      const outage = opts.reporter ? opts.reporter.failed(error) : isConnectionError(error);
      if (!outage || Date.now() + delay > deadline || opts.stopped?.()) throw error;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
