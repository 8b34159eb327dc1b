import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { SchedulerService } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { openPostgresDurability } from "@/lib/scheduler/store/postgres-durability";
import { unwrittenJournalRows } from "@/lib/scheduler/testing/journal";
import { proxyDatabase, type TcpProxy } from "@/lib/scheduler/testing/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// A checkpoint's COMMIT reaches PostgreSQL and its answer is lost (the connection drops right
// then). The checkpoint may have been written: the next one looks at the journal first, and
// writes nothing twice — Luigi's history gets each event once.

const logger = createLogger("lost-reply-test", "error", () => {});
const announce = (id: string) => ({ worker: "w", task_id: id, family: "T", params: { id }, status: "PENDING", runnable: true });

describe("a checkpoint whose COMMIT got no answer", () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    ({ proxy, url } = await proxyDatabase(db.url));
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.drop();
  });

  it("is found written from the journal, and its events are not written again", async () => {
    const scheduler = new Scheduler({});
    const durability = await openPostgresDurability(scheduler, new LeaderLock(url, logger), logger, () => {}, 3600);
    const service = new SchedulerService(scheduler, durability);
    await service.execute("add_task", announce("T_1"));
    await durability.checkpoint(); // opens the checkpoint's connection before the reply is lost
    await service.execute("add_task", announce("T_2"));

    proxy.loseReplyTo("COMMIT");
    await expect(durability.checkpoint()).rejects.toThrow(/checkpoint failed/);
    const events = async () => (await db.pool.query("SELECT t.task_id, e.event_name FROM task_events e JOIN tasks t ON t.id = e.task_id ORDER BY e.id")).rows;
    expect(await events()).toEqual([{ task_id: "T_1", event_name: "PENDING" }, { task_id: "T_2", event_name: "PENDING" }]); // it was committed
    expect(await unwrittenJournalRows(db.pool)).toBe(0);

    await service.execute("add_task", announce("T_3"));
    await durability.checkpoint();
    expect(await events()).toEqual([
      { task_id: "T_1", event_name: "PENDING" },
      { task_id: "T_2", event_name: "PENDING" },
      { task_id: "T_3", event_name: "PENDING" },
    ]);
    expect((await db.pool.query("SELECT task_id FROM scheduler_tasks ORDER BY task_id")).rows.map((r) => r.task_id)).toEqual(["T_1", "T_2", "T_3"]);
    await durability.close();
  });
});
