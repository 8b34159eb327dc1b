import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueChanges } from "@/lib/alerts/enqueue";
import { INCIDENT_COLUMNS, type IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
import { endSilence, expireSilences, listActiveSilences, startSilence } from "@/lib/db/alerts/silences";
import { withTransaction } from "@/lib/db/transaction";
import { parseAlertChannels } from "@/lib/schemas/alert-channels";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Silences on a real database: a silenced service's open messages are held (skipped, with the
// silence), others' go out; when the silence ends — by hand, by its time, or replaced — the held
// open of an incident still open is queued after all, one that resolved meanwhile stays quiet, and
// a resolve is never held.

let db: TestDatabase;
const channels = parseAlertChannels(JSON.stringify([{ name: "hook", type: "webhook", url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef0123" }]));
const T0 = new Date("2026-03-11T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  for (const name of ["acme", "other"]) {
    ids[name] = (await db.pool.query<{ id: number }>("INSERT INTO services (name, display_name, daily_command) VALUES ($1, $1, 'true') RETURNING id", [name])).rows[0].id;
  }
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query("DELETE FROM alert_outbox");
  await db.pool.query("DELETE FROM alert_incidents");
  await db.pool.query("DELETE FROM alert_silences");
});

async function incident(key: string, service: string): Promise<IncidentRow> {
  const r = await db.pool.query<IncidentRow>(
    `INSERT INTO alert_incidents (key, rule, severity, service_id, summary, opened_at) VALUES ($1, 'run_failed', 'critical', $2, $1, $3) RETURNING ${INCIDENT_COLUMNS}`,
    [key, ids[service], T0],
  );
  return r.rows[0];
}

async function resolve(i: IncidentRow, when: Date): Promise<IncidentRow> {
  const r = await db.pool.query<IncidentRow>(`UPDATE alert_incidents SET status = 'resolved', resolved_at = $2, resolved_by = 'alerts' WHERE id = $1 RETURNING ${INCIDENT_COLUMNS}`, [i.id, when]);
  return r.rows[0];
}

const enqueue = (event: "open" | "resolve", i: IncidentRow, now: Date) => enqueueChanges(db.pool, channels, "https://switchyard.example.test", now, [{ event, incident: i }]);
const silence = (service: string, from: Date, minutes: number, reason: string | null = "upstream outage") =>
  withTransaction(db.pool, (tx) => startSilence(tx, { serviceId: ids[service], endsAt: new Date(from.getTime() + minutes * 60_000), reason, by: "user:op@example.com", now: from, quiet: [] }));
const outbox = async () =>
  (await db.pool.query("SELECT i.key, o.event, o.status, o.last_error, o.silence_id IS NOT NULL AS held FROM alert_outbox o JOIN alert_incidents i ON i.id = o.incident_id ORDER BY i.key, o.id")).rows;

describe("alert silences", () => {
  it("holds a silenced service's open messages and sends the others'", async () => {
    await silence("acme", T0, 60);
    await enqueue("open", await incident("acme-1", "acme"), at(1));
    await enqueue("open", await incident("other-1", "other"), at(1));
    expect(await outbox()).toEqual([
      { key: "acme-1", event: "open", status: "skipped", last_error: "acme silenced until 2026-03-11T11:00:00.000Z by user:op@example.com: upstream outage", held: true },
      { key: "other-1", event: "open", status: "pending", last_error: null, held: false },
    ]);
    expect((await listActiveSilences(db.pool, at(1))).map((s) => [s.service_name, s.reason])).toEqual([["acme", "upstream outage"]]);
    expect(await listActiveSilences(db.pool, at(61))).toEqual([]);
  });

  it("ended by hand: the held open of an incident still open is queued, one resolved meanwhile stays quiet and gets no resolve", async () => {
    await silence("acme", T0, 60);
    const stillOpen = await incident("acme-open", "acme");
    const resolvedMeanwhile = await incident("acme-resolved", "acme");
    await enqueue("open", stillOpen, at(1));
    await enqueue("open", resolvedMeanwhile, at(1));
    await enqueue("resolve", await resolve(resolvedMeanwhile, at(5)), at(5));
    const ended = await withTransaction(db.pool, (tx) => endSilence(tx, ids.acme, "user:op@example.com", at(10), []));
    expect(ended?.released).toBe(1);
    const heldUntil = async (key: string) => (await db.pool.query("SELECT o.payload->>'heldUntil' AS h FROM alert_outbox o JOIN alert_incidents i ON i.id = o.incident_id WHERE i.key = $1", [key])).rows[0].h;
    expect(await heldUntil("acme-open")).toBe(at(10).toISOString()); // it goes out late, and says until when it was held
    expect(await outbox()).toEqual([
      { key: "acme-open", event: "open", status: "pending", last_error: null, held: false },
      { key: "acme-resolved", event: "open", status: "skipped", last_error: expect.stringContaining("silenced"), held: true },
    ]);
    // nothing left to end; a new incident's message goes out
    expect(await withTransaction(db.pool, (tx) => endSilence(tx, ids.acme, "user:op@example.com", at(11), []))).toBeNull();
    await enqueue("open", await incident("acme-after", "acme"), at(12));
    expect((await outbox()).find((r) => r.key === "acme-after")).toMatchObject({ status: "pending" });
  });

  it("ends by its time in the alert loops' pass, once, releasing what it held", async () => {
    await silence("acme", T0, 30);
    await enqueue("open", await incident("acme-1", "acme"), at(1));
    expect(await expireSilences(db.pool, at(29), [])).toEqual({ ended: 0, released: 0 });
    expect(await expireSilences(db.pool, at(31), [])).toEqual({ ended: 1, released: 1 });
    expect(await expireSilences(db.pool, at(32), [])).toEqual({ ended: 0, released: 0 });
    expect(await outbox()).toEqual([{ key: "acme-1", event: "open", status: "pending", last_error: null, held: false }]);
    expect((await db.pool.query("SELECT payload->>'heldUntil' AS h FROM alert_outbox")).rows).toEqual([{ h: at(30).toISOString() }]);
    const row = (await db.pool.query("SELECT ended_at, ended_by FROM alert_silences")).rows[0];
    expect(row).toEqual({ ended_at: at(30), ended_by: "expired" });
  });

  it("a new silence replaces the active one and keeps holding its messages; one whose time is up is ended as expired first", async () => {
    await silence("acme", T0, 30);
    await enqueue("open", await incident("acme-1", "acme"), at(1));
    const { replaced } = await silence("acme", at(5), 120, "longer");
    expect(replaced?.reason).toBe("upstream outage");
    expect(await outbox()).toEqual([{ key: "acme-1", event: "open", status: "skipped", last_error: expect.stringContaining("silenced"), held: true }]);
    // past the first silence's end: still held by the second
    expect(await expireSilences(db.pool, at(40), [])).toEqual({ ended: 0, released: 0 });
    expect((await outbox())[0].status).toBe("skipped");
    // a third one after the second's time is up (no loop ran meanwhile): the second ends as expired and releases
    const third = await silence("acme", at(200), 10);
    expect(third.replaced).toBeNull();
    expect(await outbox()).toEqual([{ key: "acme-1", event: "open", status: "pending", last_error: null, held: false }]);
    expect((await db.pool.query("SELECT ended_by FROM alert_silences ORDER BY id")).rows.map((r) => r.ended_by)).toEqual(["replaced", "expired", null]);
  });

  it("a channel in its quiet hours when the silence ends gets the critical ones, not the others", async () => {
    await silence("acme", T0, 30);
    const critical = await incident("acme-critical", "acme");
    const warning = { ...(await incident("acme-warning", "acme")), severity: "warning" as const };
    await db.pool.query("UPDATE alert_incidents SET severity = 'warning' WHERE id = $1", [warning.id]);
    await enqueue("open", critical, at(1));
    await enqueue("open", warning, at(1));
    expect(await expireSilences(db.pool, at(31), [{ channel: "hook", note: "quiet hours 22:00–07:00 Europe/Berlin" }])).toEqual({ ended: 1, released: 1 });
    expect(await outbox()).toEqual([
      { key: "acme-critical", event: "open", status: "pending", last_error: null, held: false },
      { key: "acme-warning", event: "open", status: "skipped", last_error: "quiet hours 22:00–07:00 Europe/Berlin", held: false },
    ]);
  });

  it("never holds a resolve: an incident whose open went out before the silence gets its resolve", async () => {
    const i = await incident("acme-1", "acme");
    await enqueue("open", i, at(1));
    await silence("acme", at(2), 60);
    await enqueue("resolve", await resolve(i, at(3)), at(3));
    expect(await outbox()).toEqual([
      { key: "acme-1", event: "open", status: "pending", last_error: null, held: false },
      { key: "acme-1", event: "resolve", status: "pending", last_error: null, held: false },
    ]);
  });
});
