import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHomeData, type HomeData } from "@/lib/presenters/get-home-data";
import { getHostsData } from "@/lib/presenters/get-hosts-data";
import { seedHostSample, seedRun, seedService, seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The home read model against a real PostgreSQL, at a pinned "now": 2026-11-22 12:00 UTC.
// At that instant it is 07:00 in New York (2026-11-22) and 01:00 on 2026-11-23 in Auckland.

const NOW = Date.parse("2026-11-22T12:00:00Z");
let db: TestDatabase;
let data: HomeData;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.pool;
  ids.acme = await seedService(p, { name: "acme-corp", labels: { team: "billing", tier: "1" } });
  ids.beta = await seedService(p, { name: "beta-ny", timeZone: "America/New_York", dailyTime: "06:30" });
  ids.kiwi = await seedService(p, { name: "kiwi", timeZone: "Pacific/Auckland" });
  ids.paused = await seedService(p, { name: "paused-one", paused: true });
  ids.hourly = await seedService(p, { name: "hourly-one", hourlyEnabled: true, hourlyMinute: 5, dailyTime: "23:00" });

  for (const date of ["2026-11-17", "2026-11-18"]) await seedRun(p, { serviceId: ids.acme, date, status: "done" });
  // a failure fixed by a retry: the latest run (done) decides the period
  await seedRun(p, { serviceId: ids.acme, date: "2026-11-19", status: "failed", finishedAt: "2026-11-19T03:00:00Z" });
  ids.acmeRetry = await seedRun(p, { serviceId: ids.acme, date: "2026-11-19", status: "done", attempt: 2 });
  // failed 26 hours before "now": still F in the grid, but no longer "failed today"
  ids.acmeFailed = await seedRun(p, { serviceId: ids.acme, date: "2026-11-20", status: "failed", finishedAt: "2026-11-21T10:00:00Z" });
  // 2026-11-21: nothing → M
  await seedTask(p, {
    taskId: "AllDailyTask_2026_11_22_1_abc",
    family: "AllDailyTask",
    params: { service_id: "1", day: "2026-11-22" },
    events: [["PENDING", "2026-11-22 02:00:05"]],
  });
  ids.acmeRunning = await seedRun(p, {
    serviceId: ids.acme,
    date: "2026-11-22",
    status: "running",
    startedAt: "2026-11-22T02:00:01Z",
    rootTaskId: "AllDailyTask_2026_11_22_1_abc",
    host: "worker-1",
    pid: 4242,
  });
  await seedRun(p, { serviceId: ids.kiwi, date: "2026-11-22", status: "done" });
  ids.kiwiFailed = await seedRun(p, { serviceId: ids.kiwi, date: "2026-11-21", status: "lost", finishedAt: "2026-11-22T09:00:00Z" });
  ids.queued = await seedRun(p, { serviceId: ids.beta, date: "2026-11-20", status: "queued", trigger: "backfill", queuedAt: "2026-11-22T11:00:00Z" });

  // hourly-one today (UTC): hours 0–9 done, 10 failed, 11 none (due at 12:05, not yet), 12+ not due
  for (let hour = 0; hour < 10; hour++) await seedRun(p, { serviceId: ids.hourly, kind: "hourly", date: "2026-11-22", hour, status: "done" });
  await seedRun(p, { serviceId: ids.hourly, kind: "hourly", date: "2026-11-22", hour: 10, status: "failed", finishedAt: "2026-11-22T10:20:00Z" });

  await seedHostSample(p, "worker-1", "2026-11-22T11:59:30Z", 40, 2_000_000_000);
  await seedHostSample(p, "worker-1", "2026-11-22T11:59:40Z", 60, 4_000_000_000);
  await seedHostSample(p, "worker-1", "2026-11-22T09:00:00Z", 10, 1_000_000_000);
  data = await getHomeData(p, NOW);
});

afterAll(async () => {
  await db?.drop();
});

const row = (name: string) => data.grid.rows.find((r) => r.service.name === name)!;

describe("getHomeData", () => {
  it("spans the last 7 dates up to the easternmost service's today", () => {
    expect(data.grid.dates).toEqual(["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(data.grid.rows.map((r) => r.service.name)).toEqual(["acme-corp", "beta-ny", "hourly-one", "kiwi", "paused-one"]);
  });

  it("shows each period's latest run as a letter, missing when due without a run, – before", () => {
    expect(row("acme-corp").cells).toBe("DDDFMR–");
    expect(row("acme-corp").runIds[2]).toBe(ids.acmeRetry);
    expect(row("acme-corp").runIds[5]).toBe(ids.acmeRunning);
    expect(row("acme-corp").runIds[4]).toBeNull();
    expect(row("acme-corp").service.labels).toEqual(["team=billing", "tier=1"]);
    // a day's run is due the next morning. New York: 11-21's was due 11-22 06:30 EST (11:30Z), passed;
    // 11-22's is due tomorrow
    expect(row("beta-ny").cells).toBe("MMMPM––");
    // Auckland: 11-23's run is due at 11-24 02:00 NZDT
    expect(row("kiwi").cells).toBe("MMMMFD–");
    expect(row("paused-one").cells).toBe("–––––––");
  });

  it("counts today's dailies — the runs due today, for yesterday's data — in each service's own time zone", () => {
    // acme M (UTC 11-21) · beta M (NY 11-21) · kiwi D (Auckland 11-22) · paused – · hourly-one – (11-21's run is due at 23:00)
    expect(data.today.daily).toMatchObject({ running: 0, missing: 2, notDue: 2, done: 1, failed: 0, total: 5 });
    expect(data.services).toEqual({ total: 5, enabled: 5, hourly: 1 });
  });

  it("counts today's hourly periods: done, failed, missing and not yet due", () => {
    // hour 11 (11:00–12:00Z) is due at 12:05Z, five minutes after "now"
    expect(data.today.hourly).toMatchObject({ done: 10, failed: 1, missing: 0, notDue: 13, total: 24 });
  });

  it("lists running, queued and recently failed runs with the root task's family and parameters", () => {
    const byId = new Map(data.active.map((a) => [a.id, a]));
    expect(byId.get(ids.acmeRunning)).toMatchObject({
      status: "running",
      serviceName: "acme-corp",
      family: "AllDailyTask",
      params: { day: "2026-11-22", service_id: "1" },
      host: "worker-1",
      pid: 4242,
      startedAt: "2026-11-22T02:00:01.000Z",
    });
    expect(byId.get(ids.queued)).toMatchObject({ status: "queued", trigger: "backfill", family: null });
    expect(byId.get(ids.kiwiFailed)).toMatchObject({ status: "lost" });
    // superseded failures and failures older than 24 hours are not "failed today"
    expect(byId.has(ids.acmeFailed)).toBe(false);
    expect(data.active.map((a) => a.status)).toEqual(["running", "queued", "failed", "lost"]);
  });

  it("reports the queue and the pulse that live pages watch", () => {
    expect(data.queue).toMatchObject({ depth: 1, ready: 1, oldestRunId: ids.queued, oldestQueuedAt: "2026-11-22T11:00:00.000Z", runner: { paused: false } });
    expect(data.pulse).toMatchObject({ running: 1, queued: 1 });
    expect(data.latestMigration?.name).toMatch(/^\d{14}_/);
  });

  it("says when an operator paused the runners, who and why", async () => {
    await db.pool.query("UPDATE runner_control SET paused = true, changed_by = 'user:ops@example.com', reason = 'db upgrade' WHERE id = 1");
    const paused = await getHomeData(db.pool, NOW);
    expect(paused.queue.runner).toMatchObject({ paused: true, changedBy: "user:ops@example.com", reason: "db upgrade" });
    await db.pool.query("UPDATE runner_control SET paused = false WHERE id = 1");
  });

  it("counts the live runners an operator paused one by one (drained); a silent, stopped or restarted one is not live", async () => {
    const host = await db.pool.query("INSERT INTO hosts (name) VALUES ('drain-host') RETURNING id");
    await db.pool.query(
      `INSERT INTO runners (id, host_id, pid, heartbeat_at, stopped_at, paused) VALUES
         ('drained', $1, 1, now(), NULL, true), ('working', $1, 2, now(), NULL, false),
         ('silent-paused', $1, 3, now() - interval '10 minutes', NULL, true), ('stopped-paused', $1, 4, now(), now(), true)`,
      [host.rows[0].id],
    );
    expect((await getHomeData(db.pool, NOW)).queue.runners).toEqual({ live: 2, paused: 1 });
    await db.pool.query("UPDATE runners SET paused = true WHERE id = 'working'");
    expect((await getHomeData(db.pool, NOW)).queue.runners).toEqual({ live: 2, paused: 2 });
    // killed and restarted on its host 2 s ago, after its last heartbeat 5 s ago: one runner, not two
    const other = await db.pool.query("INSERT INTO hosts (name) VALUES ('restart-host') RETURNING id");
    await db.pool.query(
      `INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at, paused) VALUES
         ('killed', $1, 5, now() - interval '1 hour', now() - interval '5 seconds', true), ('restarted', $1, 6, now() - interval '2 seconds', now(), true)`,
      [other.rows[0].id],
    );
    expect((await getHomeData(db.pool, NOW)).queue.runners).toEqual({ live: 3, paused: 3 });
    await db.pool.query("DELETE FROM runners WHERE host_id = ANY($1::int[])", [[host.rows[0].id, other.rows[0].id]]);
  });

  it("averages host samples into chart buckets for the last hour and the last day", async () => {
    const hosts = await getHostsData(db.pool, NOW);
    expect(hosts.lastHour).toHaveLength(1);
    expect(hosts.lastHour[0].points).toEqual([
      { at: "2026-11-22T11:59:00.000Z", cpuPercent: 50, memoryPercent: 37.5, memoryUsedBytes: 3_000_000_000, runningRuns: 0 },
    ]);
    expect(hosts.lastDay[0].points.map((p) => p.at)).toEqual(["2026-11-22T09:00:00.000Z", "2026-11-22T11:50:00.000Z"]);
  });

  it("counts open incidents for the badge and marks the grid cells whose period has one", async () => {
    const incident = (key: string, severity: string, status: string, serviceId: number | null, date: string | null) =>
      db.pool.query(
        `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_date, summary, status, opened_at)
         VALUES ($1, 'run_failed', $2, $3, CASE WHEN $3::int IS NULL THEN NULL ELSE 'daily'::run_kind END, $4::date, 'x', $5, now())`,
        [key, severity, serviceId, date, status],
      );
    await incident("a", "critical", "open", ids.acme, "2026-11-20");
    await incident("b", "critical", "resolved", ids.kiwi, "2026-11-21"); // resolved: no mark
    await incident("c", "critical", "open", ids.kiwi, "2026-10-01"); // outside the week: counted, not marked
    await incident("d", "warning", "open", null, null); // a fleet incident: counted only
    // a silence in force counts; one whose time is up does not
    await db.pool.query(
      `INSERT INTO alert_silences (service_id, ends_at, created_by) VALUES ($1, $3::timestamptz + interval '1 hour', 'user:op'), ($2, $3::timestamptz - interval '1 minute', 'user:op')`,
      [ids.acme, ids.kiwi, new Date(NOW)],
    );
    const home = await getHomeData(db.pool, NOW);
    expect(home.incidents).toEqual({ total: 3, critical: 2, warning: 1, info: 0, silenced: 1 });
    // the grid says which service is silenced (its row's subtitle); one whose silence is over is not
    const silencedUntil = new Map(home.grid.rows.map((r) => [r.service.name, r.service.silencedUntil]));
    expect(silencedUntil.get("acme-corp")).toBe("2026-11-22T13:00:00.000Z");
    expect(silencedUntil.get("kiwi")).toBeUndefined();
    const marks = new Map(home.grid.rows.map((r) => [r.service.name, r.marks]));
    expect(marks.get("acme-corp")).toEqual([3]);
    expect(marks.get("kiwi")).toBeUndefined();
    await db.pool.query("DELETE FROM alert_incidents");
    await db.pool.query("DELETE FROM alert_silences");
  });

  it("leaves a disabled service's failures out of \"failed today\": nobody can re-run them", async () => {
    const retired = await seedService(db.pool, { name: "retired-one" });
    const failed = await seedRun(db.pool, { serviceId: retired, date: "2026-11-21", status: "failed", finishedAt: "2026-11-22T08:00:00Z" });
    expect((await getHomeData(db.pool, NOW)).active.map((a) => a.id)).toContain(failed);
    await db.pool.query("UPDATE services SET enabled = false WHERE id = $1", [retired]);
    expect((await getHomeData(db.pool, NOW)).active.map((a) => a.id)).not.toContain(failed);
  });

  it("counts only enabled services in today's tiles, as the grid shows them by default", async () => {
    const before = await getHomeData(db.pool, NOW);
    const gone = await seedService(db.pool, { name: "gone-hourly", hourlyEnabled: true });
    await seedRun(db.pool, { serviceId: gone, date: "2026-11-21", status: "failed", finishedAt: "2026-11-22T08:00:00Z" });
    await seedRun(db.pool, { serviceId: gone, kind: "hourly", date: "2026-11-22", hour: 3, status: "failed", finishedAt: "2026-11-22T03:20:00Z" });
    const enabled = await getHomeData(db.pool, NOW);
    expect(enabled.today.daily.failed).toBe(before.today.daily.failed + 1);
    expect(enabled.today.hourly.failed).toBe(before.today.hourly.failed + 1);
    expect(enabled.services.hourly).toBe(before.services.hourly + 1);
    await db.pool.query("UPDATE services SET enabled = false WHERE id = $1", [gone]);
    const disabled = await getHomeData(db.pool, NOW);
    expect(disabled.today).toEqual(before.today);
    expect(disabled.services).toMatchObject({ total: before.services.total + 1, enabled: before.services.enabled, hourly: before.services.hourly });
  });
});

