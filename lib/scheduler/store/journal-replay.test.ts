import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { SchedulerService } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { openPostgresDurability } from "@/lib/scheduler/store/postgres-durability";
import { unwrittenJournalRows } from "@/lib/scheduler/testing/journal";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// A restart after many group commits that no checkpoint wrote (store/load.ts reads the journal in
// pages of 500 rows): every row is replayed in order across the pages, the last row of a task wins
// wherever it falls, and the history events of all of them are written once.

const logger = createLogger("replay-test", "error", () => {});
const TASKS = 700;

describe("journal replay across pages", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("restores 1,400 journal rows that no checkpoint wrote", async () => {
    const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].count);
    const lockA = new LeaderLock(db.url, logger);
    const schedulerA = new Scheduler({});
    const a = await openPostgresDurability(schedulerA, lockA, logger, () => {}, 3600);
    const service = new SchedulerService(schedulerA, a);
    const announce = (i: number, status: string) => ({ worker: "w", task_id: `T_${i}`, family: "T", params: { n: String(i) }, status, runnable: status === "PENDING" ? true : null });
    // One row per call (one call in flight): every task PENDING, then every task DONE, so each
    // task's last row is 700 rows after its first one, on another page.
    for (let i = 0; i < TASKS; i++) await service.execute("add_task", announce(i, "PENDING"));
    for (let i = 0; i < TASKS; i++) await service.execute("add_task", announce(i, i % 7 === 0 ? "FAILED" : "DONE"));
    expect(await unwrittenJournalRows(db.pool)).toBeGreaterThanOrEqual(2 * TASKS);
    expect(await count("SELECT count(*) FROM scheduler_tasks")).toBe(0); // nothing checkpointed (interval 1 h)

    // A is cut off without a word (its lock gone as in a crash); B restores from the tables and the journal.
    await lockA.query("SELECT pg_advisory_unlock_all()");
    const schedulerB = new Scheduler({});
    const b = await openPostgresDurability(schedulerB, new LeaderLock(db.url, logger), logger, () => {}, 3600);
    expect(schedulerB.state.tasks.size).toBe(TASKS);
    const statuses = new Map<string, number>();
    for (const t of schedulerB.state.tasks.values()) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ DONE: 600, FAILED: 100 });
    expect(b.stats.restoredTasks).toBe(TASKS);
    expect(await unwrittenJournalRows(db.pool)).toBe(0); // written at start, before serving
    expect(await count("SELECT count(*) FROM scheduler_tasks")).toBe(TASKS);
    expect(await count("SELECT count(*) FROM task_events WHERE event_name = 'PENDING'")).toBe(TASKS);
    expect(await count("SELECT count(*) FROM task_events WHERE event_name IN ('DONE', 'FAILED')")).toBe(TASKS);
    await b.close();
    await a.close().catch(() => {});
  }, 60_000);
});
