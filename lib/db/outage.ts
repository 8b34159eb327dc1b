import type { Logger } from "@/lib/log/logger";

// The database going away (a restart, a kill -9, a network cut) is an expected event for a
// long-running part, not an error per attempt: one WARN line when it goes, one INFO line when it
// returns, and the loops keep retrying quietly in between (issue 10: no stack trace storm).

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH",
  "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
  "08000", "08001", "08003", "08004", "08006", // connection exceptions
]);

/** node-postgres's error for a query without an answer within query_timeout (lib/db/pool-timeouts.ts). */
export function isUnansweredQuery(error: unknown): boolean {
  return (error as Error | null)?.message === "Query read timeout";
}

/** Whether `error` means "the database cannot be reached right now" rather than a bug or bad data. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if ((e.code && CONNECTION_CODES.has(e.code)) || isUnansweredQuery(e)) return true;
  const m = e.message ?? "";
  // pg.Pool's connect timeout says "timeout exceeded when trying to connect", a pg.Client's (connectionTimeoutMillis) "timeout expired"
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|^timeout expired$|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection/i.test(m);
}

/**
 * `query`, or a connection error (ETIMEDOUT, so isConnectionError knows it) once `ms` have passed
 * without an answer: a database that stopped answering (a failover, a network cut that sent no
 * reset, a stopped server) leaves a query waiting forever, and a loop waiting on it would never
 * notice the outage. The query itself is not cancelled; it ends when its connection does.
 */
export function answerWithin<T>(query: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error(`the database did not answer within ${ms} ms`), { code: "ETIMEDOUT" })), ms);
    query.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

export class DatabaseOutage {
  private since: Date | null = null;

  constructor(private readonly logger: Logger) {}

  get downSince(): Date | null {
    return this.since;
  }

  /** Call with a failure: true (logged at most once per outage) when it is a lost connection. */
  failed(error: unknown): boolean {
    if (!isConnectionError(error)) return false;
    if (!this.since) {
      this.since = new Date();
      this.logger.warn("the database is unreachable; retrying quietly until it is back", { reason: (error as Error).message });
    }
    return true;
  }

  /** Call after a query succeeded. */
  ok(): void {
    if (!this.since) return;
    const seconds = Math.round((Date.now() - this.since.getTime()) / 100) / 10;
    this.since = null;
    this.logger.info(`the database is back after ${seconds} s`);
  }
}

/**
 * Runs `write` until it succeeds, waiting out a lost connection (backoff 0.5 s → 5 s, up to
 * `maxMs`): a run's outcome must reach the database even if it finished while PostgreSQL was
 * restarting. Any other error is thrown at once.
 */
export async function retryWhileUnreachable<T>(write: () => Promise<T>, maxMs = 10 * 60_000): Promise<T> {
  const deadline = Date.now() + maxMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * 2 ** attempt)));
    }
  }
}
