import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { SchedulerService } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { openPostgresDurability } from "@/lib/scheduler/store/postgres-durability";
import { unwrittenJournalRows } from "@/lib/scheduler/testing/journal";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The checkpoint (store/journal.ts) runs on a connection that does not hold the active lock, so
// the leader epoch fences it: once a standby has taken over, a checkpoint of the old active process
// must not land (it would put older rows over the new one's), and the old process stands down.

const logger = createLogger("fence-test", "error", () => {});
const announce = (worker: string, status: string) => ({ worker, task_id: "T_1", family: "T", params: { n: "1" }, status, runnable: status === "PENDING" ? true : null });

describe("checkpoint fencing", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("writes nothing once another process took over, and the old one stands down", async () => {
    const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
    const lockA = new LeaderLock(db.url, logger);
    const schedulerA = new Scheduler({});
    let deposedA = false;
    const a = await openPostgresDurability(schedulerA, lockA, logger, () => (deposedA = true), 3600);
    await new SchedulerService(schedulerA, a).execute("add_task", announce("wa", "PENDING"));
    expect([await unwrittenJournalRows(db.pool), await count("scheduler_tasks")]).toEqual([1, 0]); // acknowledged, not checkpointed (interval 1 h)

    // A's lock goes while its session stays (as in a partition it has not noticed): B takes over.
    await lockA.query("SELECT pg_advisory_unlock_all()");
    const schedulerB = new Scheduler({});
    const b = await openPostgresDurability(schedulerB, new LeaderLock(db.url, logger), logger, () => {}, 3600);
    expect(schedulerB.state.tasks.get("T_1")?.status).toBe("PENDING"); // replayed from the journal, and checkpointed
    expect([await unwrittenJournalRows(db.pool), await count("scheduler_tasks"), await count("task_events")]).toEqual([0, 1, 1]);
    await new SchedulerService(schedulerB, b).execute("add_task", announce("wb", "DONE"));
    await b.checkpoint();

    await expect(a.checkpoint()).rejects.toThrow(/checkpoint failed/);
    expect(deposedA).toBe(true);
    expect(a.ready()).toBe(false);
    const row = await db.pool.query("SELECT status FROM scheduler_tasks WHERE task_id = 'T_1'");
    expect(row.rows).toEqual([{ status: "DONE" }]);
    expect((await db.pool.query("SELECT event_name FROM task_events ORDER BY id")).rows.map((r) => r.event_name)).toEqual(["PENDING", "DONE"]);
    await a.close();
    await b.close();
  });
});
