import type pg from "pg";
import type { Logger } from "@/lib/log/logger";
import type { Task } from "@/lib/scheduler/core/records";
import { SchedulerState } from "@/lib/scheduler/core/state";
import { readJournalMark, readTasks, replayJournal, type JournalMark, type Queryable, type Replay } from "@/lib/scheduler/store/read-state";
import { taskFromRow } from "@/lib/scheduler/store/rows";

// A standby that keeps up. While another scheduler holds the active lock, a standby reads the
// tasks once (tables and journal in one snapshot, as a restore does, into a copy no scheduler
// serves from) and then, every second, the journal rows written since. When it gets the lock, the
// restore lays only the rows it has not seen over that copy and rebuilds the indexes
// (store/load.ts), instead of reading every row of scheduler_tasks: at 500k tasks that is what
// made a takeover take 4-8 s on a 2-core machine. The active scheduler keeps journal rows for
// JOURNAL_KEEP_MS after checkpointing them so that a standby reading every second sees each one;
// one that fell behind further (the mark's `deleted` passed it) reads the tables again.

const REFRESH_MS = 1_000;

export type StandbyInfo = { tasks: number; through: number; refreshedAt: number } | null;

export class WarmStandby {
  private client: pg.Client | null = null;
  private staged: Staged | null = null;
  private refreshedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    private readonly logger: Logger,
    private readonly everyMs = REFRESH_MS,
  ) {}

  /** What the copy holds, for /metrics: null before the first copy is read. */
  get info(): StandbyInfo {
    return this.staged ? { tasks: this.staged.tasks.size, through: this.staged.through, refreshedAt: this.refreshedAt } : null;
  }

  start(): void {
    if (this.stopped || this.running || this.timer) return;
    this.tick();
  }

  /** Stops reading; the copy as last brought up to date (null: none, or a stale one). */
  async stop(): Promise<Staged | null> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    const staged = this.staged;
    this.staged = null;
    return staged;
  }

  private tick(): void {
    this.running = this.step().finally(() => {
      this.running = null;
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.tick();
      }, this.everyMs);
      this.timer.unref();
    });
  }

  private async step(): Promise<void> {
    try {
      this.client ??= await this.connect();
      if (!this.staged) {
        const started = performance.now();
        this.staged = await stageTasks(this.client);
        this.logger.info(`standby: holds a copy of ${this.staged.tasks.size} tasks (through journal row ${this.staged.through}), read in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      } else if (!(await refreshStaged(this.client, this.staged))) {
        this.logger.warn("standby: fell behind the journal (its rows were deleted before this standby read them): reading the tables again");
        this.staged = null;
        return;
      }
      this.refreshedAt = Date.now();
      if (this.failing) this.logger.info("standby: reading the journal again");
      this.failing = false;
    } catch (error) {
      // A copy half brought up to date is not trusted: read again once the database answers.
      this.staged = null;
      const client = this.client;
      this.client = null;
      await client?.end().catch(() => {});
      if (!this.failing) this.logger.warn("standby: could not read the state to keep a copy; a takeover would read it all", { reason: (error as Error).message });
      this.failing = true;
    }
  }
}

/**
 * A warm standby's copy of the tasks, built as a restore builds them but
 * kept out of any scheduler's indexes: a takeover lays the journal rows it has not seen over it
 * and rebuilds the indexes, instead of reading every row of scheduler_tasks again.
 */
export type Staged = {
  /** By id; sorted by seq at takeover (nearly in order already: one pass of TimSort). */
  tasks: Map<string, Task>;
  /** Every journal row up to this one is in `tasks`. */
  through: number;
  /** The highest `checkpointed` of the journal mark seen: a lower one later means a database put back to an earlier point. */
  checkpointed: number;
  /**
   * Tasks staged from a journal row with no history row id yet, and the last journal row read
   * then: a checkpoint gives the id in scheduler_tasks, not in a journal row, so it is read from
   * there once the mark says that row was checkpointed.
   */
  noHistory: Map<string, number>;
  /** What taskFromRow interns strings with while staging (no workers: ids stay plain arrays). */
  strings: SchedulerState;
};

/**
 * Whether the copy can be brought up to date from the journal: no row it has not read was deleted
 * since, and the database did not go back to an earlier point (restored from a backup) meanwhile.
 */
export function copyHolds(staged: Staged, mark: JournalMark): boolean {
  return mark.deleted <= staged.through && mark.checkpointed >= staged.checkpointed;
}

/** A standby's first copy of the tasks: the tables and the journal in one snapshot. */
export async function stageTasks(pool: Queryable): Promise<Staged> {
  await pool.query("SET enable_seqscan = on");
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const mark = await readJournalMark(pool);
    const journal = await replayJournal(pool, mark.checkpointed, mark.checkpointed);
    const strings = new SchedulerState();
    const staged: Staged = { tasks: new Map(), through: journal.through, checkpointed: mark.checkpointed, noHistory: new Map(), strings };
    for (const task of await readTasks(pool, journal, strings)) staged.tasks.set(task.id, task);
    for (const [id, row] of journal.tasks) if (row && row.history_id === null) staged.noHistory.set(id, journal.through);
    return staged;
  } finally {
    await pool.query("COMMIT");
  }
}

/**
 * Lays the journal rows written since `staged` was last brought up to date over it; false if
 * some of them were deleted first (the copy is then stale: stage again).
 */
export async function refreshStaged(pool: Queryable, staged: Staged): Promise<boolean> {
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const mark = await readJournalMark(pool);
    if (!copyHolds(staged, mark)) return false;
    staged.checkpointed = mark.checkpointed;
    const journal = await replayJournal(pool, staged.through, Infinity);
    applyRows(staged, journal);
    await readHistoryIds(pool, staged, mark.checkpointed);
    return true;
  } finally {
    await pool.query("COMMIT");
  }
}

function applyRows(staged: Staged, journal: Replay): void {
  for (const [id, row] of journal.tasks) {
    if (!row) {
      staged.tasks.delete(id);
      staged.noHistory.delete(id);
      continue;
    }
    staged.tasks.set(id, taskFromRow(row, staged.strings));
    if (row.history_id === null) staged.noHistory.set(id, journal.through);
    else staged.noHistory.delete(id);
  }
  staged.through = Math.max(staged.through, journal.through);
}

/** The history row ids checkpoints gave to staged tasks journaled without one (through `checkpointed`; all if Infinity). */
async function readHistoryIds(pool: Queryable, staged: Staged, checkpointed: number): Promise<void> {
  const ids: string[] = [];
  for (const [id, through] of staged.noHistory) if (through <= checkpointed) ids.push(id);
  if (ids.length === 0) return;
  const { rows } = await pool.query<{ task_id: string; history_id: number }>({
    text: "SELECT task_id, history_id FROM scheduler_tasks WHERE task_id = ANY($1::text[]) AND history_id IS NOT NULL",
    values: [ids],
  });
  for (const row of rows) {
    const task = staged.tasks.get(row.task_id);
    if (task && task.historyId === null) task.historyId = row.history_id;
  }
  // checkpointed with none: a task's history row comes with its first event, which was then written
  for (const id of ids) staged.noHistory.delete(id);
}

/** At takeover: the standby's copy with the journal laid over it, as restored tasks of `state`. */
export async function unstage(pool: Queryable, staged: Staged, journal: Replay, state: SchedulerState): Promise<Task[]> {
  applyRows(staged, journal);
  await readHistoryIds(pool, staged, Infinity);
  const tasks = [...staged.tasks.values()].sort((a, b) => a.seq - b.seq);
  staged.tasks.clear();
  // staged without workers: each single worker id becomes that worker's shared array, as restored
  for (const task of tasks) {
    task.stakeholders = state.restoredWorkerIds(task.stakeholders);
    task.workers = state.restoredWorkerIds(task.workers);
    if (task.workerRunning !== null) task.workerRunning = state.intern(task.workerRunning);
  }
  return tasks;
}
