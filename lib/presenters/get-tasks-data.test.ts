import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureHistoryPartitions } from "@/lib/db/history/history-partitions";
import { getAuditData } from "@/lib/presenters/get-audit-data";
import { getTasksData } from "@/lib/presenters/get-tasks-data";
import { auditInput, tasksInput } from "@/lib/presenters/inputs";
import { seedRun, seedService, seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Task search over Luigi's history and the audit log, on a real PostgreSQL.

let db: TestDatabase;
const ids: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.pool;
  // 60 Extract tasks for services 1–3 (20 days each), newest last; every 10th one failed
  for (let i = 0; i < 60; i++) {
    const service = String((i % 3) + 1);
    const day = `2026-11-${String(1 + Math.floor(i / 3)).padStart(2, "0")}`;
    const failed = i % 10 === 9;
    ids.push(
      await seedTask(p, {
        taskId: `Extract_${day}_${service}`,
        family: "Extract",
        params: { service_id: service, day },
        events: [
          ["PENDING", `${day} 02:00:00`],
          [failed ? "FAILED" : "DONE", `${day} 02:05:00`],
        ],
      }),
    );
  }
  await seedTask(p, { taskId: "Load_x", family: "Load", params: { service_id: "1", day: "2026-11-20" }, events: [["RUNNING", "2026-11-20 03:00:00"]] });
  await seedTask(p, { taskId: "Announced_only", family: "Report", params: { day: "2026-11-20" } });
  await p.query(
    `INSERT INTO audit_log (at, actor, action, target_type, target_id, reason, outcome, result)
     SELECT timestamptz '2026-11-22 00:00Z' + make_interval(mins => g), CASE WHEN g % 2 = 0 THEN 'ana@example.com' ELSE 'bob@example.com' END,
            CASE WHEN g % 3 = 0 THEN 'run.rerun' ELSE 'service.pause' END, 'service', 'acme', 'reason ' || g,
            CASE WHEN g = 7 THEN 'denied' ELSE 'ok' END, jsonb_build_object('n', g)
       FROM generate_series(1, 150) g`,
  );
});

afterAll(async () => {
  await db?.drop();
});

const search = (q: Record<string, unknown>) => getTasksData(db.pool, tasksInput.parse(q));

describe("getTasksData", () => {
  it("lists families from the history", async () => {
    expect((await search({})).families).toEqual(["Extract", "Load", "Report"]);
  });

  it("searches by family, newest first, a page at a time", async () => {
    const first = await search({ family: "Extract" });
    expect(first.hits).toHaveLength(50);
    expect(first.hits[0].id).toBe(ids[59]);
    expect(first.nextBefore).toBe(ids[10]);
    const second = await search({ family: "Extract", before: String(first.nextBefore) });
    expect(second.hits.map((h) => h.id)).toEqual(ids.slice(0, 10).reverse());
    expect(second.nextBefore).toBeNull();
  });

  it("filters by parameter values and by the task's latest status", async () => {
    const byParams = await search({ param: "service_id=1\nday=2026-11-20" });
    expect(byParams.hits.map((h) => h.family)).toEqual(["Load", "Extract"]);
    expect(byParams.hits[1].params).toEqual({ day: "2026-11-20", service_id: "1" });

    const failed = await search({ family: "Extract", status: "FAILED" });
    expect(failed.hits.map((h) => h.id)).toEqual([ids[59], ids[49], ids[39], ids[29], ids[19], ids[9]]);
    expect(failed.hits[0]).toMatchObject({ status: "FAILED", lastEventAt: "2026-11-20T02:05:00.000Z" });
  });

  it("keeps tasks that were announced but never got an event", async () => {
    const hits = (await search({ family: "Report" })).hits;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ status: null, lastEventAt: null });
  });

  it("links each task to the run it took part in: the newest whose root is it or depends on it, started by its last event; none when no run ran it", async () => {
    const service = await seedService(db.pool, { name: "acme" });
    // Load_x depends on the 2026-11-20 Extract of service 1; two runs of Load_x (a re-run), and one of another root
    await db.pool.query("INSERT INTO task_dependencies (task_id, dep_task_id) VALUES ('Load_x', 'Extract_2026-11-20_1')");
    const first = await seedRun(db.pool, { serviceId: service, date: "2026-11-20", status: "failed", rootTaskId: "Load_x", startedAt: "2026-11-20T01:50:00Z" });
    const rerun = await seedRun(db.pool, { serviceId: service, date: "2026-11-20", status: "done", attempt: 2, rootTaskId: "Load_x", startedAt: "2026-11-20T02:30:00Z" });
    const other = await seedRun(db.pool, { serviceId: service, date: "2026-11-19", status: "done", rootTaskId: "Extract_2026-11-19_1" });
    const runOf = async (q: Record<string, unknown>) => (await search(q)).hits.map((h) => [h.taskId, h.runId]);
    // Load_x last ran at 03:00, in the re-run; the Extract's row (02:05) is the first attempt's
    expect(await runOf({ param: "service_id=1\nday=2026-11-20" })).toEqual([["Load_x", rerun], ["Extract_2026-11-20_1", first]]);
    // no run had started by its event (a clock ahead, a run not yet stamped): the newest
    expect(await runOf({ param: "service_id=1\nday=2026-11-19" })).toEqual([["Extract_2026-11-19_1", other]]);
    expect(await runOf({ family: "Report" })).toEqual([["Announced_only", null]]);
  });

  it("rejects malformed parameter filters", () => {
    expect(() => tasksInput.parse({ param: "no-equals-sign" })).toThrow(/name=value/);
  });
});

describe("getAuditData", () => {
  it("shows entries newest first, 100 a page", async () => {
    const data = await getAuditData(db.pool, auditInput.parse({}));
    expect(data.entries).toHaveLength(100);
    expect(data.entries[0]).toMatchObject({ actor: "ana@example.com", action: "run.rerun", reason: "reason 150", result: { n: 150 } });
    const next = await getAuditData(db.pool, auditInput.parse({ before: String(data.nextBefore) }));
    expect(next.entries).toHaveLength(50);
    expect(next.nextBefore).toBeNull();
  });

  it("filters by actor, action and outcome", async () => {
    const data = await getAuditData(db.pool, auditInput.parse({ actor: "BOB", action: "run.rerun" }));
    expect(data.entries.every((e) => e.actor === "bob@example.com" && e.action === "run.rerun")).toBe(true);
    expect(data.entries).toHaveLength(25);
    const denied = await getAuditData(db.pool, auditInput.parse({ outcome: "denied" }));
    expect(denied.entries.map((e) => e.reason)).toEqual(["reason 7"]);
  });

  it("filters by when: the last hour, day or week before now", async () => {
    await db.pool.query("INSERT INTO audit_log (at, actor, action, target_type, outcome) VALUES (now() - interval '3 days', 'old@example.com', 'service.pause', 'service', 'ok')");
    const actions = async (within?: string) => (await getAuditData(db.pool, auditInput.parse({ actor: "old@", within }))).entries.length;
    expect([await actions(), await actions("7d"), await actions("24h"), await actions("1h")]).toEqual([1, 1, 0, 0]);
    expect(() => auditInput.parse({ within: "1y" })).toThrow();
  });
});

describe("getTasksData across month partitions", () => {
  it("walks the months newest first and fills a page from several, with the rows no month holds last", async () => {
    await ensureHistoryPartitions(db.pool, ["2026-08-01", "2026-09-01", "2026-10-01"]);
    const seeded: Record<string, number> = {};
    for (const [month, n] of [["2026-08", 30], ["2026-09", 0], ["2026-10", 30]] as const) {
      for (let i = 0; i < n; i++) {
        const day = `${month}-${String(1 + (i % 28)).padStart(2, "0")}`;
        seeded[`${month}:${i}`] = await seedTask(db.pool, { taskId: `Spread_${month}_${i}`, family: "Spread", params: { n: String(i), day }, events: [["DONE", `${day} 02:00:00`]] });
      }
    }
    const first = await search({ family: "Spread" });
    expect(first.hits).toHaveLength(50);
    expect(first.hits.slice(0, 30).map((h) => h.id)).toEqual(Array.from({ length: 30 }, (_, i) => seeded[`2026-10:${29 - i}`]));
    expect(first.hits[30].id).toBe(seeded["2026-08:29"]); // September is empty: August follows October
    const second = await search({ family: "Spread", before: String(first.nextBefore) });
    expect(second.hits.map((h) => h.id)).toEqual(Array.from({ length: 10 }, (_, i) => seeded[`2026-08:${9 - i}`]));
    expect(second.nextBefore).toBeNull();
    // a parameter value found only in an old month, past many empty ones
    expect((await search({ family: "Spread", param: ["n=3", "day=2026-08-04"] })).hits.map((h) => h.id)).toEqual([seeded["2026-08:3"]]);
  });
});
