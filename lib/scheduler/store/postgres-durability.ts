import type { Logger } from "@/lib/log/logger";
import { ChangeLog } from "@/lib/scheduler/core/changes";
import { newFlushStats } from "@/lib/scheduler/core/histogram";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import type { Durability } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { loadState } from "@/lib/scheduler/store/load";
import { forgetWorker, rememberWorkers, snapshot, writeSnapshot } from "@/lib/scheduler/store/write";
import { runFacts, withRunFacts } from "@/lib/scheduler/store/write-run-facts";

// Group commit into PostgreSQL. An RPC that changed state waits in `commit()`; one flush is in
// flight at a time and takes every change recorded up to its start, so requests arriving during a
// flush share the next one. A failed flush puts its changes back, marks the database down (state-
// changing RPCs then get 503) and retries in the background until the database answers again.

const RETRY_MS = 1000;

/**
 * Takes the active lock (waiting as a standby while another scheduler holds it), then restores
 * the state through the lock's connection. `onDeposed` runs if this process later finds that
 * another scheduler became active while it was cut off: its memory is then stale.
 */
export async function openPostgresDurability(scheduler: Scheduler, lock: LeaderLock, logger: Logger, onDeposed: () => void = () => {}): Promise<PostgresDurability> {
  await lock.acquire();
  const started = performance.now();
  const loaded = await loadState(lock, scheduler).catch(async (error: Error & { code?: string }) => {
    await lock.release();
    if (error.code === "42P01") throw new Error("the scheduler's tables are missing in this database: run `switchyard migrate` first");
    throw new Error(`could not read the scheduler's state from PostgreSQL: ${error.message}`);
  });
  const seconds = (performance.now() - started) / 1000;
  logger.info(`active (epoch ${lock.epoch}): restored ${loaded.tasks} tasks and ${loaded.workers} workers from PostgreSQL in ${seconds.toFixed(2)} s`);
  const durability = new PostgresDurability(scheduler, lock, logger, onDeposed);
  durability.stats.restoreSeconds = seconds;
  durability.stats.restoredTasks = loaded.tasks;
  return durability;
}

/** The lock and the durability behind it; `cancel` stops a standby's wait (at close). */
export function openActiveDurability(scheduler: Scheduler, databaseUrl: string, logger: Logger, synchronousCommit: boolean, onDeposed: () => void) {
  const lock = new LeaderLock(databaseUrl, logger, synchronousCommit);
  return { durability: openPostgresDurability(scheduler, lock, logger, onDeposed), cancel: () => lock.release() };
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

export class PostgresDurability implements Durability {
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private up = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Flush statistics for /metrics: count, seconds, task rows, history events. */
  readonly stats = newFlushStats();
  /** Set once another scheduler is known to have been active since: nothing more is written. */
  private deposed = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly lock: LeaderLock,
    private readonly logger: Logger,
    private readonly onDeposed: () => void,
  ) {
    // Losing the lock while idle must still lead to getting it back, or to standing down.
    lock.onLost = () => this.scheduleRetry();
  }

  /** True while this process holds the active lock and its last flush succeeded. */
  ready(): boolean {
    return this.up && this.lock.held && !this.deposed;
  }

  available(): boolean {
    return this.up;
  }

  historyLagSeconds(): number {
    const first = this.scheduler.state.changes.events[0];
    return first ? Math.max(0, Date.now() / 1000 - first.ts) : 0;
  }

  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.deposed) return reject(new Error("another scheduler is active on this database"));
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.loop();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushing) await this.flushing;
    if (!this.scheduler.state.changes.empty && this.lock.held && !this.deposed) await this.flushOnce().catch((error) => this.logger.error("final flush failed", { error }));
    await this.lock.release();
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          if (await this.flushOnce()) this.stats.commitRpcs.observe(batch.length);
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error as Error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Writes everything recorded so far in one transaction (false: there was nothing to write); on failure the changes are kept. */
  private async flushOnce(): Promise<boolean> {
    if (this.deposed) throw new Error("another scheduler is active on this database");
    const changes = this.scheduler.state.drainChanges();
    if (changes.empty) return false;
    // with the deps and failure explanations the run page needs (issue 13)
    const snap = withRunFacts(snapshot(this.scheduler, changes), runFacts(changes));
    // Only a worker's clock moved (a ping within write.ts's slack): no statement, no round trip.
    if (snap.nothing) return false;
    const started = performance.now();
    try {
      // One statement, so one implicit transaction: no BEGIN/COMMIT round trips. On the lock's
      // own connection: a commit can only land while this process is the active one.
      const assigned = await writeSnapshot(this.lock, snap);
      for (const [task, id] of assigned) task.historyId ??= id;
      rememberWorkers(snap.workers, snap.workerDocs);
      const seconds = (performance.now() - started) / 1000;
      this.stats.flushes++;
      this.stats.seconds += seconds;
      this.stats.commitSeconds.observe(seconds);
      this.stats.rows += snap.rows;
      this.stats.events += snap.events;
      if (!this.up) this.logger.info("database reachable again; state changes are accepted");
      this.up = true;
      return true;
    } catch (error) {
      this.requeue(changes);
      if (this.up) this.logger.warn("could not write to PostgreSQL; refusing state changes until it answers", { reason: (error as Error).message });
      this.up = false;
      this.scheduleRetry();
      throw error;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed || this.deposed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.flushing) return this.scheduleRetry();
      this.flushing = this.retry()
        .catch(() => this.scheduleRetry())
        .finally(() => {
          this.flushing = null;
          if (this.waiters.length > 0 && !this.deposed) this.flushing = this.loop();
        });
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  /** Gets the lock back if it was lost (or learns that another scheduler took over), then flushes. */
  private async retry(): Promise<void> {
    if (!this.lock.held) {
      const outcome = await this.lock.reacquire();
      if (outcome === "unreachable") throw new Error("database unreachable");
      if (outcome === "deposed") {
        this.deposed = true;
        this.up = false;
        this.logger.error("another scheduler became active while this one was cut off: standing down");
        for (const w of this.waiters.splice(0)) w.reject(new Error("another scheduler is active on this database"));
        this.onDeposed();
        return;
      }
      this.logger.info("got the active lock back; no other scheduler was active meanwhile");
    }
    await this.flushOnce();
    this.up = true;
  }

  /** Puts a failed flush's changes back in front of whatever was recorded since. */
  private requeue(failed: ChangeLog): void {
    const { state } = this.scheduler;
    const current = state.changes;
    for (const t of failed.tasks) if (state.tasks.get(t.id) === t) current.tasks.add(t);
    for (const id of failed.deletedTasks) if (!state.tasks.has(id)) current.deletedTasks.add(id);
    for (const w of failed.workers) if (state.workers.get(w.id) === w) current.workers.add(w);
    for (const w of failed.workers) forgetWorker(w);
    for (const id of failed.deletedWorkers) if (!state.workers.has(id)) current.deletedWorkers.add(id);
    current.meta ||= failed.meta;
    current.events = failed.events.concat(current.events);
  }
}
