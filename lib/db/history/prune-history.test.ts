import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRunTasks } from "@/lib/db/queries/select-run-tasks";
import { readRootTaskEvents } from "@/lib/db/runs/external-runs";
import { seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { ensureHistoryPartitions, listHistoryMonths } from "./history-partitions";
import { pruneHistory, retentionCutoff } from "./prune-history";

// Retention by whole months on a real database: months that ended before the cutoff go in every
// history table, the month the cutoff falls in stays whole, task rows still in use move on, and the
// dashboard's history reads (run page, external runs) go on answering while it happens.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
const families = async () => (await db.pool.query("SELECT DISTINCT name FROM tasks ORDER BY name")).rows.map((r) => r.name);
const runTasks = (root: string, from: string, to: string) => selectRunTasks(db.pool, root, Date.parse(`${from}Z`), Date.parse(`${to}Z`));

describe("history partitions", () => {
  it("take a row far in the past or future into DEFAULT instead of failing", async () => {
    await seedTask(db.pool, { taskId: "Past_1_0000000000", family: "Past", params: { day: "1999-01-01" }, events: [["DONE", "1999-01-01 00:00:00"]] });
    await seedTask(db.pool, { taskId: "Future_1_000000000", family: "Future", params: { day: "2100-01-01" }, events: [["PENDING", "2100-01-01 00:00:00"]] });
    await db.pool.query("INSERT INTO task_failures (task_id, ts, explanation) VALUES ('Future_1_000000000', '2100-01-01', 'x')");
    await db.pool.query("INSERT INTO task_dependencies (task_id, dep_task_id, history_month) VALUES ('Future_1_000000000', 'Past_1_0000000000', '2100-01-01')");
    expect(await count("task_events_default")).toBe(2);
    expect(await count("tasks")).toBe(2); // Luigi's tasks table is plain (migration 20261205080000)
    expect(await count("task_parameters_default")).toBe(2);
    expect(await count("task_failures_default")).toBe(1);
    expect(await count("task_dependencies_default")).toBe(1);
  });

  it("move a month's rows out of DEFAULT when the month is created", async () => {
    await seedTask(db.pool, { taskId: "March_1_000000000", family: "March", params: { day: "2026-03-10" }, events: [["PENDING", "2026-03-10 01:00:00"], ["DONE", "2026-03-10 02:00:00"]] });
    expect(await count("task_events_default")).toBe(4);
    const created = await ensureHistoryPartitions(db.pool, ["2026-03-01"]);
    expect(created).toContain("task_events_2026_03");
    expect(await count("task_events_default")).toBe(2);
    expect(await count("task_events_2026_03")).toBe(2);
    expect(await count("task_parameters_2026_03")).toBe(1);
    expect(await ensureHistoryPartitions(db.pool, ["2026-03-01"])).toEqual([]); // idempotent
  });
});

describe("pruneHistory", () => {
  it("drops the months before the cutoff's month whole, while the dashboard reads", async () => {
    await ensureHistoryPartitions(db.pool, ["2026-01-01", "2026-02-01", "2026-04-01"]);
    for (let i = 0; i < 20; i++) {
      await seedTask(db.pool, { taskId: `Jan_${i}_000000000`, family: "Jan", params: { day: "2026-01-05", n: String(i) }, events: [["PENDING", "2026-01-05 01:00:00"], ["DONE", "2026-01-05 02:00:00"]] });
    }
    // still held by the scheduler (it appends its events to this row): moves on, month after month
    const live = await seedTask(db.pool, { taskId: "Live_1_111111111", family: "Live", params: { day: "2026-01-20" }, events: [["PENDING", "2026-01-20 01:00:00"]] });
    await db.pool.query(
      `INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, first_added, last_updated, history_id, data) VALUES ('Live_1_111111111', 1, 'PENDING', 'Live', 0, 0, 0, $1, '{}')`,
      [live],
    );
    // ran across the end of February: its row moves to March with its parameters
    await seedTask(db.pool, { taskId: "Edge_1_222222222", family: "Edge", params: { day: "2026-02-28" }, events: [["PENDING", "2026-02-28 23:00:00"], ["DONE", "2026-03-01 01:00:00"]] });
    await seedTask(db.pool, { taskId: "Feb_1_3333333333", family: "Feb", params: { day: "2026-02-10" }, events: [["DONE", "2026-02-10 01:00:00"]] });
    await db.pool.query("INSERT INTO task_dependencies (task_id, dep_task_id, history_month) VALUES ('March_1_000000000', 'Edge_1_222222222', '2026-03-01'), ('Jan_0_000000000', 'Jan_1_000000000', '2026-01-01')");
    await db.pool.query("INSERT INTO task_failures (task_id, ts, explanation) VALUES ('Jan_1_000000000', '2026-01-05 02:00:00', 'old')");

    const march = () => runTasks("March_1_000000000", "2026-03-10T00:00:00", "2026-03-10T03:00:00");
    const before = await march();
    expect(before.map((t) => [t.taskId, t.statusAtEnd])).toEqual([["March_1_000000000", "DONE"], ["Edge_1_222222222", "DONE"]]);
    expect((await runTasks("Jan_0_000000000", "2026-01-05T00:00:00", "2026-01-05T03:00:00")).map((t) => t.taskId)).toEqual(["Jan_0_000000000", "Jan_1_000000000"]);

    // the run page and the external-runs reader keep answering while months are dropped
    let reading = true;
    const errors: Error[] = [];
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        await Promise.all([march(), readRootTaskEvents(db.pool, 0, ["March"])]).then(() => reads++, (error: Error) => errors.push(error));
      }
    })();
    const result = await pruneHistory(db.pool, new Date(2026, 2, 15)).finally(() => (reading = false)); // local time, as the history's timestamps
    await reader;
    expect(errors).toEqual([]);
    expect(reads).toBeGreaterThan(0);

    expect(result.months).toEqual(["2026-01-01", "2026-02-01"]);
    expect(result.strays).toBe(1 + 1 + 1); // the 1999 task row, its parameter and its event, which were in DEFAULT
    const months = await listHistoryMonths(db.pool);
    expect(months.get("task_events")!.filter((m) => m < "2026-03-01")).toEqual([]);
    expect(months.get("task_parameters")!.filter((m) => m < "2026-03-01")).toEqual([]);
    expect(await count("tasks WHERE history_month < '2026-03-01'")).toBe(0);
    expect(await families()).toEqual(["Edge", "Future", "Live", "March"]);
    // what was carried is whole: row and parameters in March, its old events gone with January
    const carried = await db.pool.query("SELECT t.name, t.history_month::text AS month, (SELECT count(*)::int FROM task_parameters p WHERE p.task_id = t.id) AS params FROM tasks t WHERE t.name IN ('Live', 'Edge') ORDER BY t.name");
    expect(carried.rows).toEqual([{ name: "Edge", month: "2026-03-01", params: 1 }, { name: "Live", month: "2026-03-01", params: 1 }]);
    expect(await count("task_failures")).toBe(1); // the 2100 one
    expect(await count("task_dependencies")).toBe(2); // March's and 2100's
    expect(await march()).toEqual(before);
    expect((await runTasks("Edge_1_222222222", "2026-02-28T22:00:00", "2026-03-01T02:00:00"))[0].events.map((e) => e.name)).toEqual(["DONE"]);
  });

  it("keeps everything when no retention is set, and months until they have wholly passed", async () => {
    expect(retentionCutoff(null)).toBeNull();
    expect(retentionCutoff(0)).toBeNull();
    expect(retentionCutoff(30, Date.parse("2026-12-04T00:00:00Z"))?.toISOString()).toBe("2026-11-04T00:00:00.000Z");
    const again = await pruneHistory(db.pool, new Date(2026, 2, 31, 23, 59));
    expect(again).toEqual({ months: [], carried: 0, strays: 0 });
    expect(await families()).toEqual(["Edge", "Future", "Live", "March"]);
  });
});
