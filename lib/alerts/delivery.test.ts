import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultAlertSettings, evaluateAlerts, type AlertSettings } from "@/lib/alerts/evaluate";
import { signWebhook } from "@/lib/alerts/format-message";
import { startAlertLoop } from "@/lib/alerts/alert-loop";
import { sendDueMessages } from "@/lib/alerts/sender";
import { retryAfterOf } from "@/lib/alerts/transports";
import { claimMessages, markSent, UNKNOWN_CHANNEL_GRACE_MINUTES } from "@/lib/db/alerts/outbox";
import { createLogger } from "@/lib/log/logger";
import { waitFor } from "@/lib/testing/wait-for";
import { parseAlertChannels, type AlertChannel } from "@/lib/schemas/alert-channels";
import { startSmtpSink, type SmtpSink } from "@/lib/testing/smtp-sink";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Delivery with real parts: an HTTP receiver that verifies the webhook signature and reads the
// Slack blocks, a real SMTP server, and the outbox in a real PostgreSQL.

type Received = { path: string; headers: IncomingMessage["headers"]; body: string };
let db: TestDatabase;
let http: Server;
let smtp: SmtpSink;
let base = "";
let smtpPort = 0;
const received: Received[] = [];
let mails: string[] = [];
let failWith = 0; // the receiver answers this status while non-zero
let retryAfter = ""; // and this Retry-After header, when set
let answerAfterMs = 0; // the receiver takes this long to answer
let inFlight = 0; // requests the receiver is answering now
let mostInFlight = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      if (answerAfterMs) await new Promise((r) => setTimeout(r, answerAfterMs));
      inFlight--;
      if (failWith) {
        res.writeHead(failWith, retryAfter ? { "retry-after": retryAfter } : {}).end(failWith === 429 ? "rate_limited" : "receiver down");
        return;
      }
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = await startSmtpSink();
  smtpPort = smtp.port;
  mails = smtp.mails;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await smtp.close();
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE alert_incidents, alert_outbox, runs, runners, hosts, services RESTART IDENTITY CASCADE");
  received.length = 0;
  mails.length = 0;
  failWith = 0;
  retryAfter = "";
  answerAfterMs = 0;
  mostInFlight = 0;
});

const SECRET = "a-test-secret-of-some-length";
function channels(extra: object = {}): AlertChannel[] {
  return parseAlertChannels(
    JSON.stringify([
      { name: "hook", type: "webhook", url: `${base}/hook`, secret: SECRET, ...extra },
      { name: "slack", type: "slack", url: `${base}/slack`, services: ["team=growth"], ...extra },
      { name: "mail", type: "email", smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: "switchyard@example.test", to: ["oncall@example.test"], ...extra },
    ]),
  );
}

async function failedRun(name: string, labels: object, date = "2026-03-10"): Promise<{ service: number; run: number }> {
  const s = await db.pool.query(
    "INSERT INTO services (name, display_name, daily_command, labels) VALUES ($1, $1, 'true', $2) ON CONFLICT DO NOTHING RETURNING id",
    [name, JSON.stringify(labels)],
  );
  const service = s.rows[0]?.id ?? (await db.pool.query("SELECT id FROM services WHERE name = $1", [name])).rows[0].id;
  const r = await db.pool.query(
    "INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, error, finished_at) VALUES ($1, 'daily', $2::date, $2, 'manual', 'failed', $3, now()) RETURNING id",
    [service, date, "ValueError: bad row 17\n  at line 2"],
  );
  return { service, run: r.rows[0].id };
}

const settings = (c: AlertChannel[]): AlertSettings => ({ ...defaultAlertSettings, channels: c, publicUrl: "https://switchyard.example.test" });
const NOW = new Date("2026-03-11T10:00:00Z");

describe("alert delivery", () => {
  it("sends a signed webhook, a Slack Block Kit message and an e-mail, then the resolve message", async () => {
    const c = channels();
    const { service, run } = await failedRun("signups", { team: "growth" });
    await evaluateAlerts(db.pool, settings(c), NOW);
    expect(await sendDueMessages(db.pool, { id: "s1", channels: c }, () => NOW)).toBe(3);

    const hook = received.find((r) => r.path === "/hook")!;
    const ts = hook.headers["x-switchyard-timestamp"] as string;
    expect(ts).toBe(String(NOW.getTime() / 1000));
    expect(hook.headers["x-switchyard-signature"]).toBe(signWebhook(SECRET, ts, hook.body));
    expect(hook.headers["x-switchyard-signature"]).not.toBe(signWebhook("another-secret-entirely", ts, hook.body));
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({ event: "open", incident: { rule: "run_failed", service: "signups", links: { run: `https://switchyard.example.test/runs/${run}` } } });
    expect(hook.headers["idempotency-key"]).toBe(payload.idempotencyKey);

    const slack = JSON.parse(received.find((r) => r.path === "/slack")!.body);
    const text = JSON.stringify(slack.blocks);
    expect(slack.blocks[0].type).toBe("header");
    expect(text).toContain("signups");
    expect(text).toContain("2026-03-10");
    expect(text).toContain("ValueError: bad row 17");
    expect(text).not.toContain("at line 2"); // only the error's first line
    expect(text).toContain(`<https://switchyard.example.test/runs/${run}|Run>`);
    expect(text).toContain("<https://switchyard.example.test/services/signups|Service>");

    expect(mails).toHaveLength(1);
    const mail = mails[0].replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    expect(mail).toMatch(/^Subject: \[switchyard\] CRITICAL: Run failed/m);
    expect(mail).toContain("To: oncall@example.test");
    expect(mail).toContain("Content-Type: text/plain");
    expect(mail).toContain("Content-Type: text/html");
    expect(mail).toContain(`<a href="https://switchyard.example.test/runs/${run}">`);

    await db.pool.query("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status) VALUES ($1, 'daily', '2026-03-10', '2026-03-10', 'manual', 'done')", [service]);
    const later = new Date(NOW.getTime() + 10_000);
    await evaluateAlerts(db.pool, settings(c), later);
    expect(await sendDueMessages(db.pool, { id: "s1", channels: c }, () => later)).toBe(3);
    expect(JSON.parse(received.filter((r) => r.path === "/hook")[1].body).event).toBe("resolve");
  });

  it("filters channels by service label: the Slack channel wants only team=growth", async () => {
    const c = channels();
    await failedRun("payroll", { team: "finance" });
    await evaluateAlerts(db.pool, settings(c), NOW);
    const rows = await db.pool.query("SELECT channel FROM alert_outbox ORDER BY channel");
    expect(rows.rows.map((r) => r.channel)).toEqual(["hook", "mail"]);
  });

  it("retries with backoff and marks a delivery that keeps failing as failed with its last error", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    await failedRun("signups", { team: "growth" });
    await evaluateAlerts(db.pool, settings(c), NOW);
    failWith = 500;
    let t = NOW.getTime();
    const opts = { id: "s1", channels: c, maxAttempts: 3, baseDelayMs: 1000, random: () => 1 };
    expect(await sendDueMessages(db.pool, opts, () => new Date(t))).toBe(1);
    expect(await sendDueMessages(db.pool, opts, () => new Date(t))).toBe(0); // not due again yet
    let row = (await db.pool.query("SELECT status, next_attempt_at, last_error FROM alert_outbox")).rows[0];
    expect(row.status).toBe("pending");
    expect(row.next_attempt_at.getTime() - t).toBe(1000);
    t += 1000;
    await sendDueMessages(db.pool, opts, () => new Date(t));
    row = (await db.pool.query("SELECT next_attempt_at FROM alert_outbox")).rows[0];
    expect(row.next_attempt_at.getTime() - t).toBe(2000); // doubled
    t += 2000;
    await sendDueMessages(db.pool, opts, () => new Date(t));
    row = (await db.pool.query("SELECT status, attempts, last_error FROM alert_outbox")).rows[0];
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row.last_error).toContain("answered 500: receiver down");
    expect(received).toHaveLength(0);
  });

  it("waits as long as a rate-limited receiver asks (Retry-After on a 429), not the shorter backoff", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    await failedRun("signups", { team: "growth" });
    await evaluateAlerts(db.pool, settings(c), NOW);
    failWith = 429;
    retryAfter = "120";
    const t = NOW.getTime();
    const opts = { id: "s1", channels: c, maxAttempts: 3, baseDelayMs: 1000, random: () => 1 };
    await sendDueMessages(db.pool, opts, () => new Date(t));
    const row = (await db.pool.query("SELECT status, next_attempt_at, last_error FROM alert_outbox")).rows[0];
    expect(row.status).toBe("pending");
    expect(row.next_attempt_at.getTime() - t).toBe(120_000);
    expect(row.last_error).toMatch(/answered 429: rate_limited \(it asks to retry after 120 s\)$/);
    // an HTTP date, and a header that says nothing usable
    expect(retryAfterOf("Wed, 11 Mar 2026 10:00:30 GMT", NOW)).toBe(30_000);
    expect(retryAfterOf("soon", NOW)).toBeNull();
    expect(retryAfterOf(null, NOW)).toBeNull();
  });

  it("an unreachable receiver is a visible failed delivery that says why", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r)); // nothing listens there now
    const c = parseAlertChannels(JSON.stringify([{ name: "gone", type: "webhook", url: `http://127.0.0.1:${port}/none`, secret: SECRET }]));
    await failedRun("signups", {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    await sendDueMessages(db.pool, { id: "s1", channels: c, maxAttempts: 1 }, () => NOW);
    const row = (await db.pool.query("SELECT status, last_error FROM alert_outbox")).rows[0];
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(new RegExp(`^webhook 127\\.0\\.0\\.1:${port}: fetch failed \\(.*ECONNREFUSED`));
  });

  it("quiet hours: a warning is skipped at night in the channel's zone, a critical one goes out", async () => {
    const c = channels({ quietHours: { from: "22:00", to: "07:00", timeZone: "Europe/Berlin" } }).slice(0, 1);
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h'), ('h2')");
    // r1 went silent while r2 (on another host) runs on: a warning (with no runner alive it would be critical)
    await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) VALUES ('r1', 1, 1, '2026-03-11T01:00:00Z'), ('r2', 2, 2, '2026-03-11T01:59:50Z')");
    await failedRun("signups", {});
    const night = new Date("2026-03-11T02:00:00Z"); // 03:00 in Berlin
    await evaluateAlerts(db.pool, settings(c), night);
    const rows = await db.pool.query("SELECT i.rule, o.status, o.last_error FROM alert_outbox o JOIN alert_incidents i ON i.id = o.incident_id ORDER BY i.rule");
    expect(rows.rows).toMatchObject([
      { rule: "run_failed", status: "pending" },
      { rule: "runner_stale", status: "skipped", last_error: "quiet hours 22:00–07:00 Europe/Berlin" },
    ]);
    await db.pool.query("UPDATE runners SET heartbeat_at = '2026-03-11T06:59:00Z'");
    await db.pool.query("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status) VALUES (1, 'daily', '2026-03-10', '2026-03-10', 'manual', 'done')");
    await evaluateAlerts(db.pool, settings(c), new Date("2026-03-11T07:00:00Z")); // both resolve at 08:00 Berlin
    const resolve = await db.pool.query("SELECT i.rule, o.status FROM alert_outbox o JOIN alert_incidents i ON i.id = o.incident_id WHERE o.event = 'resolve'");
    expect(resolve.rows).toEqual([{ rule: "run_failed", status: "pending" }]); // no resolve for an open nobody was sent
  });

  it("two senders racing over the outbox send each message exactly once, over many rounds", async () => {
    const c = parseAlertChannels(JSON.stringify([{ name: "hook", type: "webhook", url: `${base}/hook`, secret: SECRET }]));
    const drain = (at: Date) => Promise.all(["a", "b"].map((id) => sendDueMessages(db.pool, { id, channels: c, batch: 2 }, () => at)));
    for (let round = 0; round < 100; round++) {
      const day = new Date(Date.UTC(2026, 0, 1) + round * 86_400_000).toISOString().slice(0, 10);
      for (const k of [0, 1, 2]) await failedRun(`svc-${k}`, {}, day); // three messages a round, batches of two: the senders contend
      await evaluateAlerts(db.pool, settings(c), new Date(`${day}T12:00:00Z`));
      await drain(new Date(`${day}T12:00:00Z`));
    }
    // the channel is one sender's at a time, so a round's third message may wait for the next round
    while ((await drain(new Date("2026-06-01T00:00:00Z"))).some((n) => n > 0));
    const keys = received.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(300);
    expect(new Set(keys).size).toBe(300);
    expect(mostInFlight).toBe(1);
    const left = await db.pool.query("SELECT count(*)::int AS n FROM alert_outbox WHERE status <> 'sent'");
    expect(left.rows[0].n).toBe(0);
  });

  it("a channel gets its messages one at a time, in the order they were written, from one sender at a time", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    for (const name of ["a-svc", "b-svc", "c-svc", "d-svc"]) await failedRun(name, {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    answerAfterMs = 150;
    // two senders at once: the first claim takes the channel, the other finds it busy
    const [a, b] = await Promise.all(["a", "b"].map((id) => sendDueMessages(db.pool, { id, channels: c }, () => NOW)));
    expect([a, b].sort()).toEqual([0, 4]);
    expect(mostInFlight).toBe(1);
    const order = (await db.pool.query("SELECT payload->'incident'->>'service' AS service FROM alert_outbox ORDER BY id")).rows.map((r) => r.service);
    expect(received.map((r) => JSON.parse(r.body).incident.service)).toEqual(order);
  });

  it("a slow receiver gets what fits in the pass's budget; the rest wait, unattempted, for the next pass", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    for (const name of ["a-svc", "b-svc", "c-svc", "d-svc", "e-svc"]) await failedRun(name, {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    answerAfterMs = 400;
    const opts = { id: "s1", channels: c, budgetMs: 600 };
    expect(await sendDueMessages(db.pool, opts, () => NOW)).toBe(5);
    expect(received).toHaveLength(2); // sent at 0 and at 400 ms; at 800 ms the budget was spent
    const rows = (await db.pool.query("SELECT status, attempts FROM alert_outbox WHERE status <> 'sent'")).rows;
    expect(rows).toEqual(Array(3).fill({ status: "pending", attempts: 0 }));
    while ((await sendDueMessages(db.pool, opts, () => NOW)) > 0);
    expect(received).toHaveLength(5);
  });

  it("a resolve is not sent before its open: it waits while the open is still being retried", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    const { service } = await failedRun("signups", {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    failWith = 500;
    const opts = { id: "s1", channels: c, baseDelayMs: 1000, random: () => 1 };
    expect(await sendDueMessages(db.pool, opts, () => NOW)).toBe(1); // the open fails, and is retried in 1 s
    await db.pool.query("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status) VALUES ($1, 'daily', '2026-03-10', '2026-03-10', 'manual', 'done')", [service]);
    await evaluateAlerts(db.pool, settings(c), NOW);
    failWith = 0;
    expect(await sendDueMessages(db.pool, opts, () => NOW)).toBe(0); // the resolve is due, but its open is not settled
    const later = new Date(NOW.getTime() + 1000);
    expect(await sendDueMessages(db.pool, opts, () => later)).toBe(1);
    expect(await sendDueMessages(db.pool, opts, () => later)).toBe(1);
    expect(received.map((r) => JSON.parse(r.body).event)).toEqual(["open", "resolve"]);
  });

  it("a failing receiver is asked once a pass: the first failure hands the channel's other messages back unsent", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    for (const name of ["a-svc", "b-svc", "c-svc"]) await failedRun(name, {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    failWith = 503;
    const opts = { id: "s1", channels: c, baseDelayMs: 1000, random: () => 1 };
    expect(await sendDueMessages(db.pool, opts, () => NOW)).toBe(3);
    let rows = (await db.pool.query("SELECT status, attempts, next_attempt_at, last_error FROM alert_outbox ORDER BY id")).rows;
    expect(rows.map((r) => [r.status, r.attempts, r.next_attempt_at.getTime() - NOW.getTime()])).toEqual([
      ["pending", 1, 1000],
      ["pending", 0, 0], // not tried: due at once, for the next pass
      ["pending", 0, 0],
    ]);
    expect(rows[1].last_error).toBeNull();

    // a receiver that asks to wait gets nothing from this channel until then
    retryAfter = "60";
    expect(await sendDueMessages(db.pool, opts, () => NOW)).toBe(2);
    rows = (await db.pool.query("SELECT attempts, next_attempt_at FROM alert_outbox ORDER BY id")).rows;
    expect(rows.map((r) => [r.attempts, r.next_attempt_at.getTime() - NOW.getTime()])).toEqual([
      [1, 1000],
      [1, 60_000],
      [0, 60_000],
    ]);
    failWith = 0;
    const later = new Date(NOW.getTime() + 60_000);
    expect(await sendDueMessages(db.pool, opts, () => later)).toBe(3);
    expect(received).toHaveLength(3);
  });

  it("a sender leaves a channel it does not know to those that do, and after a grace gives up on it, naming it", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    await failedRun("signups", {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    // a web or runner whose SWITCHYARD_ALERT_CHANNELS lacks "hook" (a change rolling out) takes nothing
    expect(await sendDueMessages(db.pool, { id: "unaware", channels: [] }, () => NOW)).toBe(0);
    expect(await sendDueMessages(db.pool, { id: "aware", channels: c }, () => NOW)).toBe(1);
    expect(received).toHaveLength(1);

    // a channel no process knows any more: after the grace, any sender records why it was not sent
    await db.pool.query("UPDATE alert_outbox SET status = 'pending', channel = 'gone'");
    const later = new Date(NOW.getTime() + (UNKNOWN_CHANNEL_GRACE_MINUTES - 1) * 60_000);
    expect(await sendDueMessages(db.pool, { id: "unaware", channels: c }, () => later)).toBe(0);
    const past = new Date(NOW.getTime() + (UNKNOWN_CHANNEL_GRACE_MINUTES + 1) * 60_000);
    expect(await sendDueMessages(db.pool, { id: "unaware", channels: c }, () => past)).toBe(1);
    expect((await db.pool.query("SELECT status, last_error FROM alert_outbox")).rows).toEqual([{ status: "failed", last_error: 'channel "gone" is no longer configured' }]);
  });

  it("a sender that crashed mid-send: its claim expires, another sends it with the same idempotency key, the late one cannot record", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    await failedRun("signups", {});
    await evaluateAlerts(db.pool, settings(c), NOW);
    const dead = await claimMessages(db.pool, "dead", NOW, 10, 120, ["hook"]); // claimed, then the process died
    expect(dead).toHaveLength(1);
    expect(await sendDueMessages(db.pool, { id: "b", channels: c }, () => new Date(NOW.getTime() + 59_000))).toBe(0); // lease still held
    expect(await sendDueMessages(db.pool, { id: "b", channels: c }, () => new Date(NOW.getTime() + 61_000))).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0].headers["idempotency-key"]).toBe((dead[0].payload as { idempotencyKey: string }).idempotencyKey);
    expect(await markSent(db.pool, dead[0].id, "dead", NOW)).toBe(false);
  });

  it("the loop in a runner process opens the incident and delivers it within seconds", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    await failedRun("signups", {}, new Date().toISOString().slice(0, 10)); // the loop runs on real time
    const loop = startAlertLoop(db.pool, { ...settings(c), tickSeconds: 1, databaseDownSeconds: 120 }, createLogger("test", "error"), "loop-1");
    try {
      await waitFor("the webhook message", async () => received.length === 1, 10_000);
      // the channels it sends to from its environment, for the evaluators whose environment lacks them
      expect((await db.pool.query("SELECT sender_id, channels FROM alert_senders")).rows).toEqual([{ sender_id: "loop-1", channels: ["hook"] }]);
    } finally {
      await loop.stop();
    }
    expect(JSON.parse(received[0].body).incident.rule).toBe("run_failed");
    expect((await db.pool.query("SELECT count(*)::int AS n FROM alert_senders")).rows[0].n).toBe(0); // forgotten on stop
  });

  it("the loop holds a silenced service's message while the silence lasts, and sends it when the silence runs out", async () => {
    const c = channels({ rules: ["run_failed"] }).slice(0, 1);
    const { service } = await failedRun("quietly", {}, new Date().toISOString().slice(0, 10));
    await db.pool.query("INSERT INTO alert_silences (service_id, ends_at, reason, created_by) VALUES ($1, now() + interval '4 seconds', 'deploy', 'user:op')", [service]);
    const loop = startAlertLoop(db.pool, { ...settings(c), tickSeconds: 1, databaseDownSeconds: 120 }, createLogger("test", "error"), "loop-silence");
    try {
      await waitFor("the held message", async () => (await db.pool.query("SELECT 1 FROM alert_outbox WHERE status = 'skipped' AND silence_id IS NOT NULL")).rowCount === 1, 10_000);
      expect(received).toHaveLength(0);
      await waitFor("the message, once the silence ran out", async () => received.length === 1, 15_000);
    } finally {
      await loop.stop();
    }
    expect(JSON.parse(received[0].body).incident).toMatchObject({ rule: "run_failed", service: "quietly" });
    expect((await db.pool.query("SELECT ended_by FROM alert_silences")).rows).toEqual([{ ended_by: "expired" }]);
  });

  it("the loop prunes the delivery log of settled messages older than deliveryDays, and nothing pending", async () => {
    const old = (status: string, daysAgo: number, channel = "pruned") =>
      db.pool.query(
        `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, next_attempt_at, created_at)
         VALUES (NULL, 1, 'test', $1, '{}', $2, now(), now() - make_interval(days => $3))`,
        [channel, status, daysAgo],
      );
    for (const status of ["sent", "skipped", "failed", "pending"]) await old(status, 40);
    await old("sent", 20);
    const loop = startAlertLoop(db.pool, { ...settings([]), tickSeconds: 15, databaseDownSeconds: 120, deliveryDays: 30 }, createLogger("test", "error"), "loop-prune");
    const left = async () => (await db.pool.query("SELECT status, (now() - created_at) > interval '30 days' AS old FROM alert_outbox WHERE channel = 'pruned' ORDER BY status")).rows;
    try {
      await waitFor("the settled old rows gone", async () => (await left()).length === 2, 10_000);
    } finally {
      await loop.stop();
    }
    expect(await left()).toEqual([{ status: "pending", old: true }, { status: "sent", old: false }]);
    await db.pool.query("DELETE FROM alert_outbox WHERE channel = 'pruned'");
  });

  it("the loop prunes incidents resolved more than incidentDays ago with their deliveries, never an open one; 0 keeps them all", async () => {
    const incident = async (key: string, status: "open" | "resolved", daysAgo: number) => {
      const r = await db.pool.query<{ id: string }>(
        `INSERT INTO alert_incidents (key, rule, severity, summary, status, opened_at, resolved_at)
         VALUES ($1, 'stuck_queue', 'critical', $1, $2, now() - make_interval(days => $3 + 1), CASE WHEN $2 = 'resolved' THEN now() - make_interval(days => $3) END)
         RETURNING id`,
        [key, status, daysAgo],
      );
      await db.pool.query(`INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, next_attempt_at) VALUES ($1, 1, 'open', 'kept', '{}', 'sent', now())`, [r.rows[0].id]);
    };
    await incident("prune:old-resolved", "resolved", 40);
    await incident("prune:recent-resolved", "resolved", 20);
    await incident("prune:old-open", "open", 400);
    const left = async () => (await db.pool.query("SELECT i.key, count(o.id)::int AS deliveries FROM alert_incidents i LEFT JOIN alert_outbox o ON o.incident_id = i.id WHERE i.key LIKE 'prune:%' GROUP BY i.key ORDER BY i.key")).rows;
    const run = async (incidentDays: number, until: () => Promise<boolean>) => {
      const loop = startAlertLoop(db.pool, { ...settings([]), tickSeconds: 15, databaseDownSeconds: 120, incidentDays }, createLogger("test", "error"), `loop-incidents-${incidentDays}`);
      try {
        await waitFor("the prune pass", until, 10_000);
      } finally {
        await loop.stop();
      }
    };
    // 0 keeps everything: the pass that prunes the delivery log (its old row gone) deletes no incident
    await db.pool.query(`INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, next_attempt_at, created_at) VALUES (NULL, 1, 'test', 'pruned', '{}', 'sent', now(), now() - interval '100 days')`);
    await run(0, async () => (await db.pool.query("SELECT 1 FROM alert_outbox WHERE channel = 'pruned'")).rowCount === 0);
    expect((await left()).map((r) => r.key)).toEqual(["prune:old-open", "prune:old-resolved", "prune:recent-resolved"]);
    await run(30, async () => (await left()).length === 2);
    expect(await left()).toEqual([
      { key: "prune:old-open", deliveries: 1 },
      { key: "prune:recent-resolved", deliveries: 1 },
    ]);
    await db.pool.query("DELETE FROM alert_incidents WHERE key LIKE 'prune:%'");
  });

  it("a bad channel list fails at start with a clear error", () => {
    expect(() => parseAlertChannels('[{"name":"x","type":"slack","url":"not a url"}]')).toThrow(/SWITCHYARD_ALERT_CHANNELS: 0\.url/);
    expect(() => parseAlertChannels("{")).toThrow(/not valid JSON/);
    expect(() => parseAlertChannels('[{"name":"x","type":"webhook","url":"http://a.test","secret":"short"}]')).toThrow(/secret: at least 16/);
  });
});
