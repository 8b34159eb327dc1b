import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aboutOf, getIncidentsData } from "@/lib/presenters/get-incidents-data";
import { RESOLVED_PAGE } from "@/lib/schemas/incidents";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The incidents page's read model on a real database: open first (oldest on top), then resolved,
// and each channel's deliveries with their last error.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query("INSERT INTO services (name, display_name, daily_command) VALUES ('sales', 'Sales', 'true')");
  await db.pool.query("INSERT INTO services (name, display_name, daily_command, hourly_command, time_zone) VALUES ('clicks', 'Clicks', 'true', 'true', 'America/New_York')");
  await db.pool.query(
    `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, summary, status, opened_at, resolved_at, resolved_by, acknowledged_by)
     VALUES ('a', 'run_failed', 'critical', 1, 'daily', '2026-03-10', '2026-03-10', 'old and resolved', 'resolved', '2026-03-11T01:00Z', '2026-03-11T02:00Z', 'alerts', NULL),
            ('b', 'sla_miss', 'critical', 1, 'daily', '2026-03-10', '2026-03-10', 'late', 'open', '2026-03-11T05:00Z', NULL, NULL, 'bob'),
            ('c', 'stuck_queue', 'critical', NULL, NULL, NULL, NULL, 'stuck', 'open', '2026-03-11T04:00Z', NULL, NULL, NULL),
            -- 21:00 on the 10th in New York is 01:00Z on the 11th
            ('d', 'run_failed', 'critical', 2, 'hourly', '2026-03-11T01:00Z', '2026-03-10', 'late hour', 'open', '2026-03-11T06:00Z', NULL, NULL, NULL)`,
  );
  await db.pool.query(
    `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, attempts, last_error, next_attempt_at)
     VALUES (2, 1, 'open', 'hook', '{}', 'failed', 8, 'hook answered 500', now()), (3, 1, 'open', 'hook', '{}', 'sent', 1, NULL, now())`,
  );
});
afterAll(async () => {
  await db.drop();
});

describe("getIncidentsData", () => {
  it("lists open incidents oldest first, then resolved ones, and the channel's deliveries", async () => {
    const data = (await getIncidentsData(db.pool))!;
    expect(data.service).toBeNull();
    expect(data.incidents.map((i) => [i.summary, i.status, i.service, i.period, i.acknowledgedBy])).toEqual([
      ["stuck", "open", null, null, null],
      ["late", "open", "sales", "2026-03-10", "bob"],
      ["late hour", "open", "clicks", "2026-03-10 21:00", null],
      ["old and resolved", "resolved", "sales", "2026-03-10", null],
    ]);
    expect(data.incidents.map((i) => i.about)).toEqual([{ text: "the queue", href: "/#queue-heading" }, null, null, null]);
    expect(data.channels).toEqual([
      {
        name: "hook",
        deliveries: [expect.objectContaining({ status: "sent", summary: "stuck" }), expect.objectContaining({ status: "failed", lastError: "hook answered 500", attempts: 8 })],
      },
    ]);
  });

  it("with a service, lists only its incidents (open first, then resolved) and no deliveries; null for an unknown one", async () => {
    const sales = (await getIncidentsData(db.pool, { service: "sales" }))!;
    expect(sales.service).toEqual({ name: "sales", displayName: "Sales" });
    expect(sales.incidents.map((i) => [i.summary, i.status])).toEqual([
      ["late", "open"],
      ["old and resolved", "resolved"],
    ]);
    expect(sales.channels).toEqual([]);
    expect((await getIncidentsData(db.pool, { service: "clicks" }))!.incidents.map((i) => i.summary)).toEqual(["late hour"]);
    expect(await getIncidentsData(db.pool, { service: "nobody" })).toBeNull();
  });

  it("pages through resolved incidents newest first, RESOLVED_PAGE at a time, without the open ones after the first page", async () => {
    // 60 more resolved incidents of sales, resolved a minute apart (the 10th and 11th at the same instant, across the page's end)
    await db.pool.query(
      `INSERT INTO alert_incidents (key, rule, severity, service_id, summary, status, opened_at, resolved_at, resolved_by)
       SELECT 'page-' || n, 'run_failed', 'critical', 1, 'resolved ' || n, 'resolved', '2026-04-01T00:00Z',
              '2026-04-02T00:00Z'::timestamptz + make_interval(mins => CASE WHEN n = 10 THEN 11 ELSE n END), 'alerts'
         FROM generate_series(1, 60) n`,
    );
    try {
      const first = (await getIncidentsData(db.pool))!;
      const resolvedOf = (d: typeof first) => d.incidents.filter((i) => i.status === "resolved").map((i) => i.summary);
      expect(first.incidents.filter((i) => i.status === "open")).toHaveLength(3);
      expect(resolvedOf(first)).toEqual(Array.from({ length: RESOLVED_PAGE }, (_, k) => `resolved ${60 - k}`));
      expect(first.nextBefore).not.toBeNull();
      const second = (await getIncidentsData(db.pool, { before: first.nextBefore! }))!;
      expect(second.incidents.every((i) => i.status === "resolved")).toBe(true);
      // 11 ends the first page and 10 was resolved at the same instant: the id breaks the tie, 10 is neither lost nor repeated
      expect(resolvedOf(second)).toEqual([...Array.from({ length: 10 }, (_, k) => `resolved ${10 - k}`), "old and resolved"]);
      expect(new Set([...resolvedOf(first), ...resolvedOf(second)]).size).toBe(61);
      expect(second.nextBefore).toBeNull();
      expect(second.channels).toEqual([]);
    } finally {
      await db.pool.query("DELETE FROM alert_incidents WHERE key LIKE 'page-%'");
    }
  });

  it("names a fleet incident's subject for what it is, with the page where it is dealt with", () => {
    expect(aboutOf("channel_failing", "ops-slack")).toEqual({ text: "channel ops-slack", href: "/channels" });
    expect(aboutOf("runner_stale", "host-a:123")).toEqual({ text: "runner host-a:123", href: "/#health-heading" });
    expect(aboutOf("runner_restarts", "host-a")).toEqual({ text: "host host-a", href: "/#health-heading" });
    expect(aboutOf("scheduler_unreachable", "scheduler")).toEqual({ text: "the scheduler", href: "/#health-heading" });
    expect(aboutOf("some_future_rule", "x")).toEqual({ text: "x", href: null });
    expect(aboutOf("database_unreachable", null)).toBeNull();
  });
});
