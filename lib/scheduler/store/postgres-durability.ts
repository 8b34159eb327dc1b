import type pg from "pg";
import { createPool } from "@/lib/db/pool";
import type { Logger } from "@/lib/log/logger";
import { ChangeLog } from "@/lib/scheduler/core/changes";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import type { Durability } from "@/lib/scheduler/service";
import { loadState } from "@/lib/scheduler/store/load";
import { snapshot, writeSnapshot } from "@/lib/scheduler/store/write";

// Group commit into PostgreSQL. An RPC that changed state waits in `commit()`; one flush is in
// flight at a time and takes every change recorded up to its start, so requests arriving during a
// flush share the next one. A failed flush puts its changes back, marks the database down (state-
// changing RPCs then get 503) and retries in the background until the database answers again.

const RETRY_MS = 1000;

export async function openPostgresDurability(scheduler: Scheduler, databaseUrl: string, logger: Logger, synchronousCommit = true): Promise<Durability> {
  // query_timeout: a hung database must fail a flush (503s, retries) rather than stall every write forever
  const pool = createPool(databaseUrl, { max: 4, query_timeout: 30_000, options: `-c synchronous_commit=${synchronousCommit ? "on" : "off"}` });
  const loaded = await loadState(pool, scheduler).catch(async (error: Error & { code?: string }) => {
    await pool.end();
    if (error.code === "42P01") throw new Error("the scheduler's tables are missing in this database: run `switchyard migrate` first");
    throw new Error(`could not read the scheduler's state from PostgreSQL: ${error.message}`);
  });
  logger.info(`restored ${loaded.tasks} tasks and ${loaded.workers} workers from PostgreSQL`);
  return new PostgresDurability(scheduler, pool, logger);
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

export class PostgresDurability implements Durability {
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private up = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Flush statistics for /metrics: count, seconds, task rows, history events. */
  readonly stats = { flushes: 0, seconds: 0, rows: 0, events: 0 };

  constructor(
    private readonly scheduler: Scheduler,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  available(): boolean {
    return this.up;
  }

  historyLagSeconds(): number {
    const first = this.scheduler.state.changes.events[0];
    return first ? Math.max(0, Date.now() / 1000 - first.ts) : 0;
  }

  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.loop();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushing) await this.flushing;
    if (!this.scheduler.state.changes.empty) await this.flushOnce().catch((error) => this.logger.error("final flush failed", { error }));
    await this.pool.end();
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          await this.flushOnce();
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error as Error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Writes everything recorded so far in one transaction; on failure the changes are kept. */
  private async flushOnce(): Promise<void> {
    const changes = this.scheduler.state.drainChanges();
    if (changes.empty) return;
    const snap = snapshot(this.scheduler, changes);
    const started = performance.now();
    try {
      // one statement, so one implicit transaction: no BEGIN/COMMIT round trips
      const assigned = await writeSnapshot(this.pool, snap);
      for (const [task, id] of assigned) task.historyId ??= id;
      this.stats.flushes++;
      this.stats.seconds += (performance.now() - started) / 1000;
      this.stats.rows += snap.rows;
      this.stats.events += snap.events;
      if (!this.up) this.logger.info("database reachable again; state changes are accepted");
      this.up = true;
    } catch (error) {
      this.requeue(changes);
      if (this.up) this.logger.warn("could not write to PostgreSQL; refusing state changes until it answers", { reason: (error as Error).message });
      this.up = false;
      this.scheduleRetry();
      throw error;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.flushing) return this.scheduleRetry();
      this.flushing = this.flushOnce()
        .catch(() => {})
        .finally(() => {
          this.flushing = null;
          if (this.waiters.length > 0) this.flushing = this.loop();
        });
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  /** Puts a failed flush's changes back in front of whatever was recorded since. */
  private requeue(failed: ChangeLog): void {
    const { state } = this.scheduler;
    const current = state.changes;
    for (const t of failed.tasks) if (state.tasks.get(t.id) === t) current.tasks.add(t);
    for (const id of failed.deletedTasks) if (!state.tasks.has(id)) current.deletedTasks.add(id);
    for (const w of failed.workers) if (state.workers.get(w.id) === w) current.workers.add(w);
    for (const id of failed.deletedWorkers) if (!state.workers.has(id)) current.deletedWorkers.add(id);
    current.meta ||= failed.meta;
    current.events = failed.events.concat(current.events);
  }
}
