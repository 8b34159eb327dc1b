import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { ControlError } from "@/lib/control/errors";
import type { Actor } from "@/lib/auth/roles";
import { backfill } from "@/lib/control/backfill";
import { cancelRun } from "@/lib/control/cancel-run";
import { enqueueRun } from "@/lib/control/enqueue-run";
import { getRunnerControl, setRunnerPaused, setServicePaused } from "@/lib/control/pause";
import { updateService } from "@/lib/control/update-service";
import { openApiDocument } from "@/lib/control/openapi";
import { addService } from "@/lib/runner/testing/runner-harness";
import { backfillSchema, cancelRunSchema, enqueueRunSchema, listRunsQuery } from "@/lib/schemas/runs";
import { incidentActionSchema } from "@/lib/schemas/incidents";
import { schedulerActionInput } from "@/lib/control/scheduler-actions";
import { taskActionInput } from "@/lib/control/task-action";
import { serviceUpdateSchema } from "@/lib/schemas/services";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The control API's actions as plain functions against a real database: what they queue, what
// they refuse, and that each leaves one audit entry with actor, reason and result.

const alice: Actor = { kind: "user", id: "u1", name: "alice@example.com", role: "operator" };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await addService(db.pool, { name: "acme", timeZone: "America/New_York", dailyCommand: "true", hourly: true, hourlyCommand: "true {hour}" });
});
afterAll(() => db?.drop());

const audits = async (action: string) => (await db.pool.query("SELECT * FROM audit_log WHERE action = $1 ORDER BY id", [action])).rows;

describe("re-run a period", () => {
  it("queues a manual run for the service's local period; the same requestKey returns the same run", async () => {
    const input = enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-01", force: true, reason: "numbers look off", requestKey: "click-1" });
    const first = await enqueueRun(db.pool, alice, input);
    const second = await enqueueRun(db.pool, alice, input);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, run: { id: first.run.id } });
    expect(first.run).toMatchObject({ trigger: "manual", force: true, status: "queued", queuePriority: 0, periodDate: "2026-11-01", requestedBy: "user:alice@example.com" });
    // 2026-11-01 is the fall-back day in New York: the period starts at local midnight, EDT.
    expect(first.run.periodStart.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    const entries = await audits("run.force");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actor: "user:alice@example.com", outcome: "ok", reason: "numbers look off", target_id: "acme" });
    expect(entries[0].result).toMatchObject({ runId: first.run.id, created: true });
  });

  it("moves a queued run of the period to the front instead of queueing a second; refuses a forced one", async () => {
    const plain = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-01", requestKey: "click-2" }));
    const queued = await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE period_date = '2026-11-01' AND kind = 'daily'");
    expect(plain.created).toBe(false);
    expect(queued.rows[0].n).toBe(1);
    // a retry waiting out its backoff starts now when an operator re-runs its period
    await db.pool.query("UPDATE runs SET queue_priority = 5, not_before = now() + interval '10 minutes' WHERE id = $1", [plain.run.id]);
    const again = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-01" }));
    expect(again).toMatchObject({ created: false, run: { id: plain.run.id, queuePriority: 0 } });
    expect(again.run.notBefore.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await db.pool.query("SELECT not_before <= now() AS due FROM runs WHERE id = $1", [plain.run.id])).rows[0].due).toBe(true);
    const forced = enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-01", force: true, requestKey: "click-3" }));
    await expect(forced).rejects.toMatchObject({ kind: "conflict" });
    await expect(forced).rejects.toThrow(/run \d+ of this period is already queued/);
  });

  it("re-runs from a failed task, and queues hourly periods by local hour", async () => {
    const fromTask = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-02", fromTask: "Load_acme_abc" }));
    expect(fromTask.run.fromTask).toBe("Load_acme_abc");
    const hour = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "hourly", period: "2026-11-02T05" }));
    expect(hour.run).toMatchObject({ kind: "hourly", periodHour: 5, periodDate: "2026-11-02" });
    expect(hour.run.periodStart.toISOString()).toBe("2026-11-02T10:00:00.000Z");
  });

  it("refuses a from-task re-run of a task the period's run does not have, naming the families it has", async () => {
    // two periods' last runs, with their root tasks and the edges and history their tasks left
    for (const day of ["1020", "1021"]) {
      await db.pool.query(
        `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, root_task_id)
         SELECT id, 'daily', $1::date + time '04:00' AT TIME ZONE 'UTC', $1::date, 'scheduled', 'failed', $2 FROM services WHERE name = 'acme'`,
        [`2026-${day.slice(0, 2)}-${day.slice(2)}`, `All_acme_${day}`],
      );
      await db.pool.query(`INSERT INTO task_dependencies (task_id, dep_task_id) VALUES ('All_acme_${day}', 'Load_acme_${day}'), ('Load_acme_${day}', 'Extract_acme_${day}')`);
      await db.pool.query(`INSERT INTO tasks (task_id, name) VALUES ('All_acme_${day}', 'All'), ('Load_acme_${day}', 'Load'), ('Extract_acme_${day}', 'Extract')`);
    }
    const fromTask = (period: string, task: string) => enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period, fromTask: task }));
    await expect(fromTask("2026-10-20", "Sessionize")).rejects.toMatchObject({ kind: "invalid" });
    await expect(fromTask("2026-10-20", "Sessionize")).rejects.toThrow(`"Sessionize" is neither the id nor the family of a task of acme 2026-10-20's run (root task All_acme_1020; its families: All, Extract, Load)`);
    // another period's task id is not this period's
    await expect(fromTask("2026-10-20", "Extract_acme_1021")).rejects.toMatchObject({ kind: "invalid" });
    expect((await fromTask("2026-10-20", "Load")).run.fromTask).toBe("Load");
    expect((await fromTask("2026-10-21", "Extract_acme_1021")).run.fromTask).toBe("Extract_acme_1021");
    // a run whose edges were never stored (history a luigid wrote): its tasks are not known, nothing is refused
    await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, root_task_id)
       SELECT id, 'daily', '2026-10-22 04:00+00', '2026-10-22', 'external', 'failed', 'All_acme_1022' FROM services WHERE name = 'acme'`,
    );
    expect((await fromTask("2026-10-22", "Sessionize")).run.fromTask).toBe("Sessionize");
  });

  it("refuses bad input with the field named, a period that does not exist, and one in the future", async () => {
    const bad = enqueueRunSchema.safeParse({ service: "acme", kind: "weekly", period: "2026-11-02T05" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toContain("kind");
    expect(enqueueRunSchema.safeParse({ service: "acme", kind: "daily", period: "2026-11-02T05" }).error!.issues[0].path).toEqual(["period"]);
    const periodIssues = (kind: string, period: string) => enqueueRunSchema.safeParse({ service: "acme", kind, period }).error?.issues.map((i) => i.message);
    expect(periodIssues("daily", "2026-02-30")).toEqual(["no such day in the calendar (or not before 9999)"]);
    expect(periodIssues("hourly", "2026-11-02T24")).toEqual(["expected YYYY-MM-DD (daily) or YYYY-MM-DDTHH with HH 00-23 (hourly)"]);
    // 02:00 on the spring-forward day never happens in New York.
    await expect(enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "hourly", period: "2026-03-08T02" }))).rejects.toThrow(/does not exist/);
    await expect(enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2099-01-01" }))).rejects.toThrow(/has not started/);
    await expect(enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "nope", kind: "daily", period: "2026-01-01" }))).rejects.toMatchObject({ kind: "not_found" });
    expect((await audits("run.rerun")).filter((a) => a.outcome === "denied").length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a disabled service's re-run and backfill, saying how to enable it (its runs would never be launched); a paused one queues", async () => {
    await addService(db.pool, { name: "retired", timeZone: "UTC", dailyCommand: "true", enabled: false });
    const refused = { kind: "conflict", message: expect.stringMatching(/^service retired is disabled, so the runner launches none of its runs: enable it first/) };
    await expect(enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "retired", kind: "daily", period: "2026-11-02" }))).rejects.toMatchObject(refused);
    await expect(backfill(db.pool, alice, backfillSchema.parse({ service: "retired", kind: "daily", from: "2026-11-01", to: "2026-11-03" }))).rejects.toMatchObject(refused);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs r JOIN services s ON s.id = r.service_id WHERE s.name = 'retired'")).rows[0].n).toBe(0);
    await addService(db.pool, { name: "on-hold", timeZone: "UTC", dailyCommand: "true" });
    await db.pool.query("UPDATE services SET paused = true WHERE name = 'on-hold'");
    expect((await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "on-hold", kind: "daily", period: "2026-11-02" }))).created).toBe(true);
  });
});

describe("backfill", () => {
  it("lists the periods on a dry run and writes nothing", async () => {
    const before = (await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n;
    const plan = await backfill(db.pool, alice, backfillSchema.parse({ service: "acme", kind: "daily", from: "2026-10-30", to: "2026-11-02", dryRun: true }));
    expect(plan).toEqual({ periods: ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"], runs: [], alreadyActive: [] });
    const hours = await backfill(db.pool, alice, backfillSchema.parse({ service: "acme", kind: "hourly", from: "2026-11-01", to: "2026-11-01", dryRun: true }));
    // the fall-back day has 25 hours, 01 twice
    expect(hours.periods).toHaveLength(25);
    expect(hours.periods.filter((p) => p === "2026-11-01T01")).toHaveLength(2);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n).toBe(before);
  });

  it("queues one backfill run per period, after scheduled runs; repeating the request queues nothing new", async () => {
    const input = backfillSchema.parse({ service: "acme", kind: "daily", from: "2026-10-01", to: "2026-10-03", reason: "reprocess", requestKey: "bf-1" });
    const first = await backfill(db.pool, alice, input);
    expect(first.runs.map((r) => [r.periodDate, r.trigger, r.queuePriority])).toEqual([
      ["2026-10-01", "backfill", 3],
      ["2026-10-02", "backfill", 3],
      ["2026-10-03", "backfill", 3],
    ]);
    const again = await backfill(db.pool, alice, input);
    expect(again.runs.map((r) => r.id)).toEqual(first.runs.map((r) => r.id));
    expect(backfillSchema.safeParse({ service: "acme", kind: "daily", from: "2026-10-03", to: "2026-10-01" }).error!.issues[0].path).toEqual(["to"]);
    // a day not in the calendar is refused, not "nothing to queue"; a bad format says only that
    const issues = (from: string, to: string) => backfillSchema.safeParse({ service: "acme", kind: "daily", from, to }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues("2026-02-30", "2026-03-05")).toEqual(["from: no such day in the calendar (or not before 9999)"]);
    expect(issues("2026-13-01", "2026-13-05")).toEqual(["from: no such day in the calendar (or not before 9999)", "to: no such day in the calendar (or not before 9999)"]);
    expect(issues("9999-12-30", "9999-12-31")).toEqual(["from: no such day in the calendar (or not before 9999)", "to: no such day in the calendar (or not before 9999)"]);
    expect(issues("20260301", "2026-03-05")).toEqual(["from: expected a day YYYY-MM-DD"]);
    // the runs list's day filters too (they reached PostgreSQL: "date/time field value out of range", a 500)
    expect(listRunsQuery.safeParse({ from: "2026-13-01" }).error?.issues.map((i) => i.message)).toEqual(["no such day in the calendar (or not before 9999)"]);
    // ids too big for bigint (they reached PostgreSQL as "1e+21": a 500)
    expect(listRunsQuery.safeParse({ before: "999999999999999999999" }).error?.issues.map((i) => i.message)).toEqual(["expected a run id"]);
    expect(cancelRunSchema.safeParse({ id: "999999999999999999999" }).error?.issues.map((i) => i.message)).toEqual(["expected a run id"]);
    expect(cancelRunSchema.parse({ id: "42" })).toEqual({ id: 42 });
    // action bodies name what they take: a stray key is refused, not ignored (a misspelt "reason" would vanish from the audit)
    expect(schedulerActionInput.safeParse({ action: "pause", reasn: "deploy" }).error?.issues.map((i) => i.message)).toEqual(['Unrecognized key: "reasn"']);
    expect(incidentActionSchema.safeParse({ id: "7", action: "acknowledge", note: "x" }).success).toBe(false);
    expect(taskActionInput.safeParse({ taskId: "T_1", action: "mark-done", force: true }).success).toBe(false);
  });
});

describe("cancel, pause, edit", () => {
  it("cancels a queued run at once, and refuses to cancel it twice", async () => {
    const { run } = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "acme", kind: "daily", period: "2026-11-03" }));
    const answer = await cancelRun(db.pool, alice, { id: run.id, reason: "wrong day" });
    expect(answer).toMatchObject({ cancel: "cancelled", run: { status: "cancelled" } });
    await expect(cancelRun(db.pool, alice, { id: run.id })).rejects.toMatchObject({ kind: "conflict" });
    await expect(cancelRun(db.pool, alice, { id: 99_999 })).rejects.toMatchObject({ kind: "not_found" });
    expect((await audits("run.cancel")).map((a) => a.outcome)).toEqual(["ok", "denied", "denied"]);
  });

  it("refuses to cancel a running external run, saying where to stop it, and leaves it running", async () => {
    // What the external watcher records for a worker cron started (lib/db/runs/external-runs.ts).
    const ext = await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, requested_by, host, runner_id, root_task_id)
       SELECT id, 'daily', '2026-11-04 07:00+00', '2026-11-04', 'external', 'running', now(), 'external', 'cron-host', 'Worker(host=cron-host)', 'AllDaily_x' FROM services WHERE name = 'acme'
       RETURNING id`,
    );
    const id = Number(ext.rows[0].id);
    const refused = cancelRun(db.pool, alice, { id, reason: "stop it" });
    await expect(refused).rejects.toMatchObject({ kind: "conflict", code: "external_run", details: { trigger: "external", host: "cron-host" } });
    await expect(refused).rejects.toThrow(/launched outside Switchyard \(worker Worker\(host=cron-host\) on cron-host\), so Switchyard cannot stop it\. Stop it where it was started/);
    // Nothing pretends otherwise: no cancel request a runner would never act on, the run still running.
    expect((await db.pool.query("SELECT status FROM runs WHERE id = $1", [id])).rows[0].status).toBe("running");
    expect((await db.pool.query("SELECT count(*)::int AS n FROM run_runtime WHERE run_id = $1", [id])).rows[0].n).toBe(0);
    const [entry] = (await audits("run.cancel")).filter((a) => a.target_id === String(id));
    expect(entry).toMatchObject({ outcome: "denied", reason: "stop it", result: { code: "external_run" } });
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = now() WHERE id = $1", [id]);
  });

  it("pauses and resumes a service and the runner, saying whether anything changed", async () => {
    expect(await setServicePaused(db.pool, alice, { name: "acme", reason: "maintenance" }, true)).toEqual({ service: "acme", paused: true, changed: true });
    expect(await setServicePaused(db.pool, alice, { name: "acme" }, true)).toMatchObject({ changed: false });
    expect(await setServicePaused(db.pool, alice, { name: "acme" }, false)).toMatchObject({ paused: false, changed: true });
    expect(await setRunnerPaused(db.pool, alice, { reason: "db upgrade" }, true)).toEqual({ paused: true, changed: true });
    expect(await getRunnerControl(db.pool)).toMatchObject({ paused: true, changedBy: "user:alice@example.com", reason: "db upgrade" });
    await setRunnerPaused(db.pool, alice, {}, false);
    expect((await audits("service.pause")).length).toBe(2);
    expect((await audits("runner.resume"))[0].outcome).toBe("ok");
  });

  it("edits a service, validating the merged result and auditing old and new values", async () => {
    const admin: Actor = { ...alice, role: "admin" };
    const after = await updateService(db.pool, admin, serviceUpdateSchema.parse({ name: "acme", dailyTime: "04:15", retry: { attempts: 2, backoffSeconds: 60 }, reason: "later data" }));
    expect(after).toMatchObject({ dailyTime: "04:15", retry: { attempts: 2, backoffSeconds: 60 }, source: "api" });
    const [entry] = await audits("service.update");
    expect(entry.result.changed.dailyTime).toEqual({ from: "02:00", to: "04:15" });
    // hourly on, but the hourly command removed: refused, naming the field
    const refused = updateService(db.pool, admin, serviceUpdateSchema.parse({ name: "acme", hourlyCommand: null, reason: "x" }));
    await expect(refused).rejects.toBeInstanceOf(ZodError);
    await expect(refused).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["hourlyCommand"] })] });
    expect(serviceUpdateSchema.safeParse({ name: "acme", timeZone: "Mars/Base", reason: "x" }).error!.issues[0].path).toEqual(["timeZone"]);
    await expect(updateService(db.pool, admin, serviceUpdateSchema.parse({ name: "ghost", enabled: false, reason: "x" }))).rejects.toBeInstanceOf(ControlError);
  });
});

describe("OpenAPI document", () => {
  it("describes every control route with schemas generated from zod", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/runs", "/api/v1/runs/{id}", "/api/v1/runs/{id}/cancel", "/api/v1/backfill", "/api/v1/services/{name}", "/api/v1/runner/pause", "/api/v1/tasks/{taskId}/{action}"]),
    );
    const enqueue = doc.components.schemas.EnqueueRun as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(enqueue.properties.kind.enum).toEqual(["daily", "hourly"]);
    expect(enqueue.required).toEqual(expect.arrayContaining(["service", "kind", "period"]));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
