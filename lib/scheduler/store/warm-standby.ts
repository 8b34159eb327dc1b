import type pg from "pg";
import type { Logger } from "@/lib/log/logger";
import { refreshStaged, stageTasks, type Staged } from "@/lib/scheduler/store/load";

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
