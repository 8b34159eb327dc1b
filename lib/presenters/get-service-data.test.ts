import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHourlyData } from "@/lib/presenters/get-hourly-data";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { getServicesData } from "@/lib/presenters/get-services-data";
import { addDays } from "@/lib/presenters/period-status";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Services list, a service's page and the hourly grid, "now" pinned at 2026-11-22 12:00 UTC.

const NOW = Date.parse("2026-11-22T12:00:00Z");
let db: TestDatabase;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.pool;
  ids.acme = await seedService(p, { name: "acme", labels: { team: "billing" }, hourlyEnabled: true, hourlyMinute: 15 });
  await p.query(`UPDATE services SET environment = '{"API_TOKEN": "secret-value", "MODE": "prod"}' WHERE id = $1`, [ids.acme]);
  ids.berlin = await seedService(p, { name: "berlin", timeZone: "Europe/Berlin", createdAt: "2026-11-20T00:00:00Z" });
  ids.manual = await seedService(p, { name: "manual-hourly" });
  // acme: 100 days of daily runs (the page shows 90), each 2 minutes longer than the one before
  for (let i = 99; i >= 0; i--) {
    const date = addDays("2026-11-22", -i);
    const minutes = 10 + (99 - i) * 2;
    const startedAt = `${date}T02:00:00Z`;
    const finishedAt = new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
    ids.acmeLast = await seedRun(p, { serviceId: ids.acme, date, status: i === 3 ? "failed" : "done", startedAt, finishedAt });
  }
  // acme hourly on 2026-11-22: 0–10 done, 11 running (by hand: hour 11 is due at 12:15), 12 not due
  for (let hour = 0; hour <= 10; hour++) await seedRun(p, { serviceId: ids.acme, kind: "hourly", date: "2026-11-22", hour, status: "done" });
  ids.acmeHourRunning = await seedRun(p, { serviceId: ids.acme, kind: "hourly", date: "2026-11-22", hour: 11, status: "running", startedAt: "2026-11-22T11:15:00Z" });
  // an hourly run by hand for a service without hourly runs enabled
  await seedRun(p, { serviceId: ids.manual, kind: "hourly", date: "2026-11-22", hour: 3, status: "done", trigger: "manual" });
});

afterAll(async () => {
  await db?.drop();
});

describe("getServiceData", () => {
  it("returns null for a service that does not exist", async () => {
    expect(await getServiceData(db.pool, "nope", NOW)).toBeNull();
  });

  it("lays out the last 90 service-local days with each period's letter and run", async () => {
    const data = (await getServiceData(db.pool, "acme", NOW))!;
    expect(data.calendar.dates).toHaveLength(90);
    expect(data.calendar.dates[0]).toBe("2026-08-25");
    expect(data.calendar.dates[89]).toBe("2026-11-22");
    expect(data.calendar.cells).toBe("D".repeat(86) + "FDDD");
    expect(data.calendar.runIds[89]).toBe(ids.acmeLast);
    expect(data.counts).toMatchObject({ done: 89, failed: 1, total: 90 });
  });

  it("gives the duration trend per day and the usual duration of the last 14 successful days", async () => {
    const data = (await getServiceData(db.pool, "acme", NOW))!;
    expect(data.durations[89]).toEqual({ date: "2026-11-22", seconds: (10 + 99 * 2) * 60, status: "done" });
    // the 14 latest done days are i = 0..2 and 4..14 → minutes 208,206,204, 200..180 → median 193
    expect(data.usualSeconds).toBe(193 * 60);
  });

  it("lists recent runs of both kinds and shows configuration without environment values", async () => {
    const data = (await getServiceData(db.pool, "acme", NOW))!;
    expect(data.recent).toHaveLength(25);
    expect(data.recent.some((r) => r.kind === "hourly") && data.recent.some((r) => r.kind === "daily")).toBe(true);
    expect(data.service).toMatchObject({ name: "acme", environmentKeys: ["API_TOKEN", "MODE"], hourlyMinute: 15, timeZone: "UTC" });
    expect(JSON.stringify(data)).not.toContain("secret-value");
    expect(data.active).toBe(true);
  });

  it("lists the service's open incidents only: not its resolved ones, not another service's", async () => {
    await db.pool.query(
      `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, run_id, summary, status, opened_at, resolved_at)
       VALUES ('svc-a', 'run_failed', 'critical', $1, 'daily', '2026-11-19', '2026-11-19', $3, 'acme failed', 'open', '2026-11-20T03:00Z', NULL),
              ('svc-b', 'sla_miss', 'critical', $1, 'daily', '2026-11-18', '2026-11-18', NULL, 'acme late, resolved', 'resolved', '2026-11-19T09:00Z', '2026-11-19T10:00Z'),
              ('svc-c', 'sla_miss', 'critical', $2, 'daily', '2026-11-21', '2026-11-21', NULL, 'berlin late', 'open', '2026-11-22T09:00Z', NULL)`,
      [ids.acme, ids.berlin, ids.acmeLast],
    );
    try {
      const acme = (await getServiceData(db.pool, "acme", NOW))!;
      expect(acme.incidents.map((i) => [i.summary, i.status, i.service, i.period, i.runId])).toEqual([["acme failed", "open", "acme", "2026-11-19", ids.acmeLast]]);
      expect((await getServiceData(db.pool, "manual-hourly", NOW))!.incidents).toEqual([]);
    } finally {
      await db.pool.query("DELETE FROM alert_incidents WHERE key LIKE 'svc-%'");
    }
  });

  it("shows the service's active silence, not one whose time is up or another service's", async () => {
    await db.pool.query(
      `INSERT INTO alert_silences (service_id, ends_at, reason, created_by, created_at, ended_at)
       VALUES ($1, '2026-11-22T14:00Z', 'deploy', 'user:op', '2026-11-22T11:00Z', NULL),
              ($2, '2026-11-22T11:30Z', 'over', 'user:op', '2026-11-22T11:00Z', NULL)`,
      [ids.acme, ids.berlin],
    );
    try {
      expect((await getServiceData(db.pool, "acme", NOW))!.silence).toEqual({ id: expect.any(Number), endsAt: "2026-11-22T14:00:00.000Z", reason: "deploy", createdBy: "user:op", createdAt: "2026-11-22T11:00:00.000Z" });
      expect((await getServiceData(db.pool, "berlin", NOW))!.silence).toBeNull();
      expect((await getServiceData(db.pool, "manual-hourly", NOW))!.silence).toBeNull();
      const list = await getServicesData(db.pool, NOW);
      expect(Object.fromEntries(list.rows.map((r) => [r.service.name, r.service.silencedUntil]))).toEqual({ acme: "2026-11-22T14:00:00.000Z", berlin: undefined, "manual-hourly": undefined });
    } finally {
      await db.pool.query("DELETE FROM alert_silences");
    }
  });

  it("shows days before a service existed as not expected", async () => {
    const data = (await getServiceData(db.pool, "berlin", NOW))!;
    // created 2026-11-20 00:00 UTC: 11-19's run was due after that (11-20 02:00 CET), so missing;
    // 11-18's was due before; today's (11-22) is due tomorrow morning
    expect(data.calendar.cells.slice(-4)).toBe("MMM–");
    expect(data.calendar.cells.slice(0, 86)).toBe("–".repeat(86));
  });
});

describe("getServicesData", () => {
  it("lists every service with its schedule and latest daily period", async () => {
    const data = await getServicesData(db.pool, NOW);
    expect(data.rows.map((r) => r.service.name)).toEqual(["acme", "berlin", "manual-hourly"]);
    expect(data.rows[0]).toMatchObject({ hourly: "every hour at :15", latest: { date: "2026-11-22", letter: "D", runId: ids.acmeLast } });
    expect(data.rows[1]).toMatchObject({ timeZone: "Europe/Berlin", latest: null });
    expect(data.labels).toEqual(["team=billing"]);
  });
});

describe("getHourlyData", () => {
  it("shows hourly services × 24 hours, plus services that ran hourly by hand that day", async () => {
    const data = await getHourlyData(db.pool, "2026-11-22", NOW);
    expect(data.rows.map((r) => r.service.name)).toEqual(["acme", "manual-hourly"]);
    expect(data.rows[0].cells).toBe("D".repeat(11) + "R" + "–".repeat(12));
    expect(data.rows[0].runIds[11]).toBe(ids.acmeHourRunning);
    // hourly runs are not enabled for manual-hourly: its empty hours are never "missing"
    expect(data.rows[1].cells).toBe("–––D" + "–".repeat(20));
    expect(data).toMatchObject({ date: "2026-11-22", previous: "2026-11-21", next: null, active: true });
  });

  it("marks due hours without a run missing on a past day", async () => {
    const data = await getHourlyData(db.pool, "2026-11-21", NOW);
    expect(data.rows.map((r) => r.service.name)).toEqual(["acme"]);
    expect(data.rows[0].cells).toBe("M".repeat(24));
    expect(data).toMatchObject({ next: "2026-11-22", active: false });
  });
});
