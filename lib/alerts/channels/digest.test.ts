import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAlertLoop } from "@/lib/alerts/alert-loop";
import { digestDueDate, enqueueDueDigests } from "@/lib/alerts/channels/digest";
import { toStored } from "@/lib/alerts/channels/stored-channel";
import { defaultAlertSettings } from "@/lib/alerts/evaluate";
import { sendDueMessages } from "@/lib/alerts/sender";
import { insertChannelMessage } from "@/lib/db/alerts/channel-messages";
import { insertChannel } from "@/lib/db/alerts/channels";
import { createLogger } from "@/lib/log/logger";
import { parseAlertChannels, type AlertChannel } from "@/lib/schemas/alert-channels";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { waitFor } from "@/lib/testing/wait-for";

// The daily digest on an injected clock, in a zone that is not UTC (Asia/Tokyo, UTC+9): due at
// 07:00 local, written once however many evaluators race, not again on the next tick, again the
// next local day; and from the real alert loop, for a channel stored after the loop started.

let db: TestDatabase;
let http: Server;
let base = "";
const bodies: string[] = [];
const PUBLIC = "https://switchyard.example.test";

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = "digest-test-secret-0123456789abcdef"; // stored channels' secrets are sealed under it
  db = await createTestDatabase();
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => (bodies.push(body), res.writeHead(200).end("ok")));
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.BETTER_AUTH_SECRET;
  await new Promise((r) => http?.close(r));
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE alert_incidents, alert_outbox, alert_channels, runs, services RESTART IDENTITY CASCADE");
  bodies.length = 0;
});

const channel = (extra: object = {}): AlertChannel =>
  parseAlertChannels(JSON.stringify([{ name: "morning", type: "slack", url: `${base}/slack`, digest: { time: "07:00", timeZone: "Asia/Tokyo" }, ...extra }]))[0];

/** A failed daily of `service`, and (unless the alert loop's own rules are to find it) its open run_failed incident. */
async function redPeriod(service: string, labels: object, withIncident = true): Promise<number> {
  const s = await db.pool.query("INSERT INTO services (name, display_name, daily_command, labels) VALUES ($1, $1, 'true', $2) RETURNING id", [service, JSON.stringify(labels)]);
  const r = await db.pool.query(
    "INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, error, finished_at) VALUES ($1, 'daily', '2026-03-10', '2026-03-10', 'manual', 'failed', 'KeyError: region\nmore', '2026-03-10T20:00:00Z') RETURNING id",
    [s.rows[0].id],
  );
  if (!withIncident) return r.rows[0].id;
  await db.pool.query(
    `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, run_id, summary, error, opened_at)
     VALUES ($1, 'run_failed', 'warning', $2, 'daily', '2026-03-10', '2026-03-10', $3, $4, 'KeyError: region\nmore', '2026-03-10T20:00:00Z')`,
    [`run_failed:${service}`, s.rows[0].id, r.rows[0].id, `${service} daily 2026-03-10 failed`],
  );
  return r.rows[0].id;
}

// 07:00 in Tokyo on 11 March is 22:00 UTC on 10 March
const AT = new Date("2026-03-10T22:00:00Z");
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);
const outbox = async () => (await db.pool.query("SELECT channel, event, status, dedupe_key, payload FROM alert_outbox WHERE event = 'digest' ORDER BY id")).rows;

describe("daily digest", () => {
  it("is due from the chosen local time, for a few hours, on the channel's local date", () => {
    const c = channel();
    expect(digestDueDate(c, minutes(-1))).toBeNull();
    expect(digestDueDate(c, AT)).toBe("2026-03-11");
    expect(digestDueDate(c, minutes(179))).toBe("2026-03-11");
    expect(digestDueDate(c, minutes(180))).toBeNull();
    expect(digestDueDate({ ...c, paused: true }, AT)).toBeNull();
    expect(digestDueDate(channel({ digest: undefined }), AT)).toBeNull();
  });

  it("is written once by two racing evaluators, not on the next tick, and again the next local day", async () => {
    const run = await redPeriod("signups", { team: "growth" });
    await redPeriod("billing", { team: "money" });
    const c = channel({ services: ["team=growth"] });
    expect(await enqueueDueDigests(db.pool, [c], PUBLIC, minutes(-1))).toBe(0);
    const [a, b] = await Promise.all([enqueueDueDigests(db.pool, [c], PUBLIC, AT), enqueueDueDigests(db.pool, [c], PUBLIC, AT)]);
    expect(a + b).toBe(1);
    expect(await enqueueDueDigests(db.pool, [c], PUBLIC, minutes(0.25))).toBe(0);
    expect(await enqueueDueDigests(db.pool, [c], PUBLIC, minutes(60))).toBe(0);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "morning", status: "pending", dedupe_key: "digest:morning:2026-03-11" });
    // only what the channel wants: the growth team's service, with links to its run and service pages
    expect(rows[0].payload).toMatchObject({
      event: "digest",
      date: "2026-03-11",
      timeZone: "Asia/Tokyo",
      summary: "1 red: 1 run_failed.",
      items: [{ incidentId: 1, rule: "run_failed", service: "signups", period: "daily 2026-03-10", error: "KeyError: region", links: { run: `${PUBLIC}/runs/${run}`, service: `${PUBLIC}/services/signups` } }],
    });
    expect(await enqueueDueDigests(db.pool, [c], PUBLIC, new Date(AT.getTime() + 86_400_000))).toBe(1);
    expect((await outbox()).map((r) => r.dedupe_key)).toEqual(["digest:morning:2026-03-11", "digest:morning:2026-03-12"]);
  });

  it("is sent by the running alert loop to a channel stored after the loop started", async () => {
    // the loop's run_failed rule opens the incident the digest lists
    const run = await redPeriod("signups", { team: "growth" }, false);
    const config = { ...defaultAlertSettings, channels: [], publicUrl: PUBLIC, tickSeconds: 1, databaseDownSeconds: 120 };
    const loop = startAlertLoop(db.pool, config, createLogger("test", "error"), "loop-1", () => minutes(5));
    try {
      await new Promise((r) => setTimeout(r, 1500)); // a pass or two with no channel at all
      expect(bodies).toHaveLength(0);
      await insertChannel(db.pool, toStored(channel()), "api", "test");
      await waitFor("the digest at the Slack receiver", async () => bodies.find((b) => b.includes("Switchyard digest 2026-03-11")), 10_000);
    } finally {
      await loop.stop();
    }
    const slack = bodies.map((b) => JSON.parse(b)).find((b) => b.text.startsWith("Switchyard digest"));
    expect(slack.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Switchyard digest 2026-03-11: 1 red" } });
    expect(JSON.stringify(slack.blocks)).toContain(`<${PUBLIC}/runs/${run}|run>`);
    expect((await outbox()).map((r) => r.status)).toEqual(["sent"]);
  });

  it("is held back, visibly, for a channel paused after it was queued", async () => {
    await enqueueDueDigests(db.pool, [channel()], PUBLIC, AT);
    expect(await sendDueMessages(db.pool, { id: "s1", channels: [channel({ paused: true })] }, () => AT)).toBe(1);
    expect(bodies).toHaveLength(0);
    expect((await db.pool.query("SELECT status, last_error FROM alert_outbox")).rows).toEqual([{ status: "skipped", last_error: "channel paused" }]);
    // and a test send or digest for a resumed channel goes out
    await insertChannelMessage(db.pool, AT, { channel: "morning", event: "test", payload: { event: "test", channel: "morning", date: "2026-03-11", summary: "Nothing red.", items: [], links: { incidents: PUBLIC, home: PUBLIC } }, dedupeKey: null, status: "pending" });
    expect(await sendDueMessages(db.pool, { id: "s1", channels: [channel()] }, () => AT)).toBe(1);
    expect(JSON.parse(bodies[0]).text).toContain("Test from Switchyard to channel morning");
  });

  it("lists the enabled services' dailies due today that failed or have not run, in their own zone, beside the incidents", async () => {
    // Tokyo services that existed long before: today (11 March local) the dailies for 10 March are due at 02:00
    const svc = async (name: string) =>
      (await db.pool.query("INSERT INTO services (name, display_name, daily_command, time_zone, daily_time, created_at, labels) VALUES ($1, $1, 'true', 'Asia/Tokyo', '02:00', '2026-01-01', '{\"team\":\"growth\"}') RETURNING id", [name])).rows[0].id;
    const run = (service: number, status: string) =>
      db.pool.query("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, finished_at) VALUES ($1, 'daily', '2026-03-09T15:00:00Z', '2026-03-10', 'manual', $2, '2026-03-10T17:30:00Z') RETURNING id", [service, status]);
    const failed = (await run(await svc("orders"), "failed")).rows[0].id;
    await svc("stock"); // no run at all: missing
    await run(await svc("billing"), "done");
    // a disabled service is expected to run nothing, and cannot be re-run: not red (nor on the home page)
    const retired = await svc("retired");
    await run(retired, "failed");
    await db.pool.query("UPDATE services SET enabled = false WHERE id = $1", [retired]);
    await enqueueDueDigests(db.pool, [channel({ services: ["team=growth"] })], PUBLIC, AT);
    const [row] = await outbox();
    expect(row.payload.summary).toBe("2 red: 1 run_failed, 1 missing_period.");
    expect(row.payload.items).toEqual([
      expect.objectContaining({ incidentId: null, rule: "run_failed", service: "orders", period: "daily 2026-03-10", links: expect.objectContaining({ run: `${PUBLIC}/runs/${failed}` }) }),
      expect.objectContaining({ incidentId: null, rule: "missing_period", service: "stock", summary: "stock daily 2026-03-10 has not run", links: expect.objectContaining({ run: null, service: `${PUBLIC}/services/stock` }) }),
    ]);
    // a channel for another team hears nothing of them
    await enqueueDueDigests(db.pool, [channel({ name: "other", services: ["team=money"] })], PUBLIC, AT);
    expect((await outbox())[1].payload.summary).toBe("Nothing red.");
  });

  it("names the channel's services whose alerts are silenced now, in the summary and as a list", async () => {
    const svc = async (name: string, team: string) => (await db.pool.query("INSERT INTO services (name, display_name, daily_command, labels) VALUES ($1, $1, 'true', $2) RETURNING id", [name, JSON.stringify({ team })])).rows[0].id;
    const quiet = await svc("quiet", "growth");
    const other = await svc("elsewhere", "money");
    const over = await svc("over", "growth");
    await db.pool.query(
      `INSERT INTO alert_silences (service_id, ends_at, reason, created_by) VALUES ($1, $3::timestamptz + interval '2 hours', 'vendor outage', 'user:op'), ($2, $3::timestamptz + interval '1 hour', NULL, 'user:op')`,
      [quiet, other, AT],
    );
    await db.pool.query("INSERT INTO alert_silences (service_id, ends_at, created_by) VALUES ($1, $2::timestamptz - interval '1 minute', 'user:op')", [over, AT]);
    await enqueueDueDigests(db.pool, [channel({ services: ["team=growth"] })], PUBLIC, AT);
    const [row] = await outbox();
    expect(row.payload.summary).toBe("Nothing red. Silenced: quiet until 2026-03-11 00:00 UTC.");
    expect(row.payload.silenced).toEqual([{ service: "quiet", until: "2026-03-11T00:00:00.000Z", by: "user:op", reason: "vendor outage" }]);
  });
});
