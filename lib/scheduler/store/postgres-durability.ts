import type pg from "pg";
import type { Logger } from "@/lib/log/logger";
import { ChangeLog } from "@/lib/scheduler/core/changes";
import { forgiveDowntime } from "@/lib/scheduler/core/downtime";
import { newFlushStats } from "@/lib/scheduler/core/histogram";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import type { Durability } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { loadState } from "@/lib/scheduler/store/load";
import { readJournalMark } from "@/lib/scheduler/store/read-state";
import { forgetWorker, journalEntry, markJournaled, Unwritten } from "@/lib/scheduler/store/journal";
import { WarmStandby } from "@/lib/scheduler/store/warm-standby";
import { checkpointStatement, writeCheckpoint } from "@/lib/scheduler/store/write";

// Group commit into PostgreSQL, in two steps (store/journal.ts). An RPC that changed state waits in
// `commit()`; one journal write is in flight at a time and takes every change recorded up to its
// start, so requests arriving meanwhile share the next one, and they are acknowledged when that
// row is committed. A failed write puts its changes back, marks the database down (state-changing
// RPCs then get 503) and retries in the background until the database answers again. Every
// [switchyard] checkpoint_interval (0.2 s) the checkpoint writes what the journal rows hold into the scheduler's tables and
// Luigi's history, on a connection of its own, fenced by the leader epoch (a standby that took
// over bumps it, and waits for a checkpoint in progress to end before it reads the state).

const RETRY_MS = 1000;
const MAX_UNWRITTEN = 500_000;
/**
 * How long journal rows stay after a checkpoint wrote them: a warm standby reads the journal every
 * second (store/warm-standby.ts) and keeps up only if it sees every row. The cost is the table
 * holding these seconds of rows (at 1,000 commits/s of ~1.5 kB, ~8 MB).
 */
export const JOURNAL_KEEP_MS = 5_000;

export const JOURNAL_SQL = "INSERT INTO scheduler_journal (entry) VALUES ($1) RETURNING seq";
// Holds the leader row against a standby's epoch bump until the checkpoint commits.
const FENCE_SQL = "SELECT 1 FROM scheduler_meta WHERE key = 'leader' AND (value->>'epoch')::int = $1 FOR SHARE";

/**
 * Takes the active lock (waiting as a standby while another scheduler holds it), then restores
 * the state through the lock's connection. `onDeposed` runs if this process later finds that
 * another scheduler became active while it was cut off: its memory is then stale.
 */
export async function openPostgresDurability(scheduler: Scheduler, lock: LeaderLock, logger: Logger, onDeposed: () => void, checkpointSeconds: number, warm?: Pick<WarmStandby, "start" | "stop">, journalKeepMs = JOURNAL_KEEP_MS): Promise<PostgresDurability> {
  await lock.acquire(() => warm?.start());
  const started = performance.now();
  const staged = await warm?.stop();
  const loaded = await loadState(lock, scheduler, staged).catch(async (error: Error & { code?: string }) => {
    await lock.release();
    if (error.code === "42P01") throw new Error("the scheduler's tables are missing in this database: run `switchyard migrate` first");
    throw new Error(`could not read the scheduler's state from PostgreSQL: ${error.message}`);
  });
  const seconds = (performance.now() - started) / 1000;
  const replayed = loaded.journalRows > 0 ? ` (${loaded.journalRows} journal rows replayed)` : "";
  const how = loaded.warm ? "from this standby's copy and the journal since" : staged ? "from PostgreSQL (this standby's copy had fallen behind)" : "from PostgreSQL";
  logger.info(`active (epoch ${lock.epoch}): restored ${loaded.tasks} tasks and ${loaded.workers} workers ${how} in ${seconds.toFixed(2)} s${replayed}`);
  const durability = new PostgresDurability(scheduler, lock, logger, onDeposed, { checkpointMs: checkpointSeconds * 1000, journalKeepMs, unwritten: loaded.unwritten, through: loaded.through });
  durability.stats.restoreSeconds = seconds;
  durability.stats.restoredTasks = loaded.tasks;
  durability.stats.restoredWarm = loaded.warm ? 1 : 0;
  // The replayed rows' history is written before the first RPC is served (a failure leaves them in the journal).
  if (loaded.journalRows > 0) await durability.checkpoint().catch((error) => logger.warn("could not write the replayed journal rows yet; retried", { reason: (error as Error).message }));
  return durability;
}

/** The lock and the durability behind it; `cancel` stops a standby's wait (at close). */
export function openActiveDurability(scheduler: Scheduler, databaseUrl: string, logger: Logger, opts: { synchronousCommit: boolean; checkpointSeconds: number; advertiseUrl?: string | null }, onDeposed: () => void) {
  const lock = new LeaderLock(databaseUrl, logger, opts.synchronousCommit, opts.advertiseUrl ?? null);
  const warm = new WarmStandby(() => lock.connectAnother("switchyard-scheduler-standby"), logger);
  const cancel = async () => {
    await warm.stop();
    await lock.release();
  };
  return { durability: openPostgresDurability(scheduler, lock, logger, onDeposed, opts.checkpointSeconds, warm), cancel, standby: () => warm.info, activeUrl: () => lock.activeUrl };
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

class Deposed extends Error {
  constructor() {
    super("another scheduler is active on this database");
  }
}

export class PostgresDurability implements Durability {
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private up = true;
  /** State changes have been refused (the workers' pings with them) since the last time they were accepted. */
  private wasRefusing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Flush statistics for /metrics: count, seconds, task rows, history events. */
  readonly stats = newFlushStats();
  /** Set once another scheduler is known to have been active since: nothing more is written. */
  private deposed = false;
  /** Journaled, not yet in the tables; and the last journal row it covers. */
  private unwritten: Unwritten;
  private journaledThrough: number;
  private checkpointing: Promise<boolean> | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private checkpointClient: pg.Client | null = null;
  private checkpointFailing = false;
  /** A checkpoint that sent COMMIT and got no answer: written or not, the journal mark tells. */
  private unsure: { batch: Unwritten; through: number } | null = null;
  private readonly checkpointMs: number;
  private readonly journalKeepMs: number;
  /** The last journal row of each committed checkpoint younger than JOURNAL_KEEP_MS, and when. */
  private written: Array<{ through: number; at: number }> = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly lock: LeaderLock,
    private readonly logger: Logger,
    private readonly onDeposed: () => void,
    opts: { checkpointMs: number; journalKeepMs: number; unwritten: Unwritten; through: number },
  ) {
    // Losing the lock while idle must still lead to getting it back, or to standing down.
    lock.onLost = () => {
      this.refusing();
      this.scheduleRetry();
    };
    this.checkpointMs = opts.checkpointMs;
    this.journalKeepMs = opts.journalKeepMs;
    this.unwritten = opts.unwritten;
    this.journaledThrough = opts.through;
  }

  /** True while this process holds the active lock and its last journal write succeeded. */
  ready(): boolean {
    return this.up && this.lock.held && !this.deposed;
  }

  available(): boolean {
    return this.up && !this.backedUp();
  }

  /**
   * Checkpoints keep failing while journal rows still commit: changes are refused (503, as in an
   * outage) before what waits for a checkpoint outgrows memory. The journal keeps what was acknowledged.
   */
  private backedUp(): boolean {
    return this.checkpointFailing && this.unwritten.tasks.size + this.unwritten.events.length > MAX_UNWRITTEN;
  }

  historyLagSeconds(): number {
    const first = this.unwritten.events[0] ?? this.scheduler.state.changes.events[0];
    return first ? Math.max(0, Date.now() / 1000 - first.ts) : 0;
  }

  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.deposed) return reject(new Deposed());
      if (this.backedUp()) return reject(new Error("checkpoints are failing and too many changes wait for one; see the scheduler's log"));
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.loop();
    });
  }

  /** Writes what the journal holds into the tables now (at start after a replay, at close, in tests). */
  async checkpoint(): Promise<void> {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    while (this.checkpointing) await this.checkpointing;
    if (!this.checkpointDue || this.deposed || !this.lock.held) return;
    if (!(await this.runCheckpoint())) throw new Error("the checkpoint failed; the journal keeps its changes");
  }

  /** Journaled changes not yet in the tables, or a checkpoint whose outcome is not known yet. */
  private get checkpointDue(): boolean {
    return !this.unwritten.empty || this.unsure !== null;
  }

  /** One checkpoint (never rejects: false when it failed), then the next one scheduled if there is more. */
  private runCheckpoint(): Promise<boolean> {
    const run = this.checkpointOnce().then((ok) => {
      this.checkpointing = null;
      if (this.checkpointDue) this.scheduleCheckpoint(ok ? this.checkpointMs : RETRY_MS);
      return ok;
    });
    this.checkpointing = run;
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushing) await this.flushing;
    if (!this.scheduler.state.changes.empty && this.lock.held && !this.deposed) await this.journalOnce().catch((error) => this.logger.error("final flush failed", { error }));
    await this.checkpoint().catch((error) => this.logger.warn("final checkpoint failed; the journal keeps its changes for the next start", { reason: (error as Error).message }));
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    await this.dropCheckpointConnection();
    await this.lock.release();
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          if (await this.journalOnce()) this.stats.commitRpcs.observe(batch.length);
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error as Error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Journals everything recorded so far in one row (false: there was nothing to write); on failure the changes are kept. */
  private async journalOnce(): Promise<boolean> {
    if (this.deposed) throw new Deposed();
    const changes = this.scheduler.state.drainChanges();
    if (changes.empty) return false;
    const entry = journalEntry(this.scheduler, changes);
    // Only a worker's clock moved (within journal.ts's slack): no statement, no round trip.
    if (!entry) return false;
    const started = performance.now();
    try {
      // On the lock's own connection: a row can only be committed while this process is the active one.
      const { rows } = await this.lock.query<{ seq: string }>({ name: "switchyard-journal", text: JOURNAL_SQL, values: [entry.text] });
      markJournaled(entry);
      this.unwritten.absorb(entry.unwritten);
      this.journaledThrough = Number(rows[0].seq);
      const seconds = (performance.now() - started) / 1000;
      this.stats.flushes++;
      this.stats.seconds += seconds;
      this.stats.commitSeconds.observe(seconds);
      if (!this.up) this.logger.info("database reachable again; state changes are accepted");
      this.servesAgain();
      this.up = true;
      this.scheduleCheckpoint(this.checkpointMs);
      return true;
    } catch (error) {
      this.requeue(changes);
      if (this.up) this.logger.warn("could not write to PostgreSQL; refusing state changes until it answers", { reason: (error as Error).message });
      this.refusing();
      this.up = false;
      this.scheduleRetry();
      throw error;
    }
  }

  private scheduleCheckpoint(delay: number): void {
    if (this.checkpointTimer || this.checkpointing || this.closed || this.deposed) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      void this.runCheckpoint();
    }, delay);
    this.checkpointTimer.unref();
  }

  /** One checkpoint transaction; false if it failed (what it held goes back, the journal keeps it). */
  private async checkpointOnce(): Promise<boolean> {
    if (!this.checkpointDue || this.deposed) return true;
    if (this.unsure && !(await this.settleUnsure())) return false;
    if (this.unwritten.empty) return true;
    const batch = this.unwritten;
    const through = this.journaledThrough;
    this.unwritten = new Unwritten();
    const statement = checkpointStatement(batch, through, this.deletableThrough());
    const started = performance.now();
    let client: pg.Client | null = null;
    let committing = false;
    try {
      client = await this.checkpointConnection();
      await client.query("BEGIN");
      try {
        if ((await client.query({ name: "switchyard-fence", text: FENCE_SQL, values: [this.lock.epoch] })).rowCount === 0) throw new Deposed();
        const assigned = await writeCheckpoint(client, statement);
        committing = true;
        await client.query("COMMIT");
        for (const [task, id] of assigned) task.historyId ??= id;
        this.written.push({ through, at: performance.now() });
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
      const seconds = (performance.now() - started) / 1000;
      this.stats.checkpoints++;
      this.stats.checkpointSeconds += seconds;
      this.stats.rows += statement.rows;
      this.stats.events += statement.events;
      if (this.checkpointFailing) this.logger.info("checkpoints written again");
      this.checkpointFailing = false;
      return true;
    } catch (error) {
      // A COMMIT whose reply was lost may have landed: the next checkpoint finds out first.
      if (committing && !(error instanceof Deposed)) this.unsure = { batch, through };
      else this.unwritten = Unwritten.merged(batch, this.unwritten);
      if (error instanceof Deposed) {
        this.standDown();
        return false;
      }
      if (client === this.checkpointClient) await this.dropCheckpointConnection();
      if (!this.checkpointFailing) this.logger.warn("could not write a checkpoint; the journal keeps the changes and it is retried", { reason: (error as Error).message });
      this.checkpointFailing = true;
      return false;
    }
  }

  /** The journal rows old enough to delete: those of the last checkpoint JOURNAL_KEEP_MS ago. */
  private deletableThrough(): number {
    const due = performance.now() - this.journalKeepMs;
    let through = 0;
    while (this.written.length > 0 && this.written[0].at <= due) through = this.written.shift()!.through;
    return through;
  }

  private async checkpointConnection(): Promise<pg.Client> {
    return (this.checkpointClient ??= await this.lock.connectAnother("switchyard-scheduler-checkpoint"));
  }

  private async dropCheckpointConnection(): Promise<void> {
    const client = this.checkpointClient;
    this.checkpointClient = null;
    await client?.end().catch(() => {});
  }

  /**
   * After a checkpoint whose COMMIT got no answer: if the journal mark covers its rows it was
   * written (writing it again would repeat its history events), else it goes back in front.
   * False: the database could not say yet.
   */
  private async settleUnsure(): Promise<boolean> {
    const unsure = this.unsure!;
    try {
      const client = await this.checkpointConnection();
      if ((await readJournalMark(client)).checkpointed >= unsure.through) this.logger.info("the checkpoint that lost its reply had been committed");
      else this.unwritten = Unwritten.merged(unsure.batch, this.unwritten);
      this.unsure = null;
      return true;
    } catch {
      await this.dropCheckpointConnection();
      return false;
    }
  }

  private standDown(): void {
    if (this.deposed) return;
    this.deposed = true;
    this.up = false;
    this.logger.error("another scheduler became active while this one was cut off: standing down");
    for (const w of this.waiters.splice(0)) w.reject(new Deposed());
    this.onDeposed();
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
      if (outcome === "deposed") return this.standDown();
      this.logger.info("got the active lock back; no other scheduler was active meanwhile");
    }
    await this.journalOnce();
    this.servesAgain();
    this.up = true;
    if (!this.unwritten.empty) this.scheduleCheckpoint(0);
  }

  /** State changes are refused from now on (a failed write, the lock lost), until servesAgain(). */
  private refusing(): void {
    this.wasRefusing = true;
  }

  /**
   * Before state changes are accepted again: the time since any worker was last heard is not their
   * silence (core/downtime.ts). Counted from the last call that reached memory, not from when the
   * failure was noticed: calls waiting on a commit that never came were not answered either.
   */
  private servesAgain(): void {
    if (!this.wasRefusing) return;
    this.wasRefusing = false;
    forgiveDowntime([...this.scheduler.state.workers.values()], this.scheduler.now());
  }

  /** Puts a failed journal write's changes back in front of whatever was recorded since. */
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
