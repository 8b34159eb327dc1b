import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAlertLoop } from "@/lib/alerts/alert-loop";
import { DatabaseDownNotice } from "@/lib/alerts/database-down";
import { defaultAlertSettings } from "@/lib/alerts/evaluate";
import { signWebhook } from "@/lib/alerts/format-message";
import { createPool } from "@/lib/db/pool";
import { createLogger } from "@/lib/log/logger";
import { parseAlertChannels } from "@/lib/schemas/alert-channels";
import { ownPostgres, type OwnPostgres } from "@/lib/testing/own-postgres";
import { postgresProcesses, postmasterOf } from "@/lib/testing/postgres-processes";
import { waitFor } from "@/lib/testing/wait-for";

// The database itself going away: no incident can be written and the outbox cannot be read, so
// the alert loop tells its channels directly. A real embedded PostgreSQL that the test stops and
// starts again, the real alert loop and transports, a real webhook receiver.

const SECRET = "a-test-secret-of-some-length";
type Received = { headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
let refuse = 0; // the receiver answers 503 to this many requests first
let receiver: Server;
let hookUrl = "";
let pgsrv: OwnPostgres;

const logLines: string[] = [];
const logger = createLogger("alerts", "info", (_at, line) => void logLines.push(line));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (refuse > 0) {
        refuse--;
        res.writeHead(503).end("busy");
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  pgsrv = await ownPostgres("db-down");
}, 120_000);
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await pgsrv?.remove();
});
beforeEach(() => {
  received.length = 0;
  logLines.length = 0;
  refuse = 0;
});

const hook = (extra: object = {}) => parseAlertChannels(JSON.stringify([{ name: "oncall", type: "webhook", url: hookUrl, secret: SECRET, ...extra }]));
const messages = () => received.map((r) => JSON.parse(r.body) as { event: string; idempotencyKey: string; incident: Record<string, unknown> });

describe("the database unreachable", () => {
  it("is told to the channels by the alert loop once it has lasted databaseDownSeconds, quiet hours or not, and resolved when it is back", async () => {
    // a channel in quiet hours all day long still gets it: it is critical
    const channels = hook({ quietHours: { from: "00:00", to: "23:59", timeZone: "UTC" } });
    const pool = createPool(pgsrv.server.appUrl);
    const loop = startAlertLoop(pool, { ...defaultAlertSettings, channels, publicUrl: "https://switchyard.example", tickSeconds: 1, databaseDownSeconds: 2 }, logger, "runner-test-1");
    try {
      await new Promise((r) => setTimeout(r, 1500)); // a pass or two with the database up: nothing to tell
      expect(received).toHaveLength(0);
      await pgsrv.stop();
      const down = Date.now();
      await waitFor("the open message", async () => received.length >= 1, 30_000);
      expect(Date.now() - down).toBeGreaterThanOrEqual(1_500); // not before the outage is 2 s old (the loop sees it up to a pass late)
      const [open] = messages();
      expect(open).toMatchObject({ event: "open", incident: { id: 0, rule: "database_unreachable", severity: "critical", links: { incident: "https://switchyard.example/incidents" } } });
      expect(open.incident.summary).toMatch(/^PostgreSQL has been unreachable for \d+ s \(seen by runner-test-1\)/);
      expect(open.idempotencyKey).toMatch(/^database_unreachable:\d{4}-\d\d-\d\dT\d\d:\d\d:open$/);
      // signed like every webhook message
      const r = received[0];
      expect(r.headers["x-switchyard-signature"]).toBe(signWebhook(SECRET, String(r.headers["x-switchyard-timestamp"]), r.body));
      // told once per outage, not once per pass
      await new Promise((r) => setTimeout(r, 2500));
      expect(received).toHaveLength(1);

      await pgsrv.start();
      await waitFor("the resolve message", async () => received.length >= 2, 30_000);
      const resolve = messages()[1];
      expect(resolve).toMatchObject({ event: "resolve", incident: { rule: "database_unreachable", resolvedAt: expect.any(String) } });
      expect(resolve.idempotencyKey).toBe(open.idempotencyKey.replace(/:open$/, ":resolve"));
      expect(logLines.join("\n")).toMatch(/told channel oncall: PostgreSQL has been unreachable/);
    } finally {
      await loop.stop();
      await pool.end();
    }
  }, 90_000);

  it("is told when the database stops answering without refusing (a failover, a cut with no reset): queries hang, the loop does not", async () => {
    const pool = createPool(pgsrv.server.appUrl);
    const loop = startAlertLoop(pool, { ...defaultAlertSettings, channels: hook(), publicUrl: "https://switchyard.example", tickSeconds: 1, databaseDownSeconds: 2 }, logger, "web-test-2");
    let processes: number[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1500)); // the pool holds a live connection now
      processes = postgresProcesses(postmasterOf(pgsrv.server.dataDir)); // its backend included
      expect(processes.length).toBeGreaterThan(1);
      for (const pid of processes) process.kill(pid, "SIGSTOP");
      // the pass hangs; after 10 s the loop asks apart (5 s without an answer), then the outage is 2 s old
      await waitFor("the open message", async () => received.length >= 1, 40_000).catch((e) => {
        throw new Error(`${(e as Error).message}\n${logLines.join("\n")}`);
      });
      expect(messages()[0]).toMatchObject({ event: "open", incident: { rule: "database_unreachable", error: "the database did not answer within 5000 ms" } });
      for (const pid of processes) process.kill(pid, "SIGCONT");
      await waitFor("the resolve message", async () => received.length >= 2, 30_000);
      expect(messages()[1].event).toBe("resolve");
    } finally {
      for (const pid of processes) process.kill(pid, "SIGCONT");
      await loop.stop();
      await pool.end();
    }
  }, 90_000);

  it("is told once however many loops watch one database: the holder of the watch tells, the others say so in their logs", async () => {
    const fast = { renewMs: 200, leaseSeconds: 2 };
    const config = { ...defaultAlertSettings, channels: hook(), publicUrl: "https://switchyard.example", tickSeconds: 1, databaseDownSeconds: 2 };
    const pools = [createPool(pgsrv.server.appUrl), createPool(pgsrv.server.appUrl), createPool(pgsrv.server.appUrl)];
    const loops = [
      startAlertLoop(pools[0], config, logger, "runner-a", undefined, fast),
      startAlertLoop(pools[1], config, logger, "web-b", undefined, fast),
      startAlertLoop(pools[2], config, logger, "web-c", undefined, fast),
    ];
    try {
      await new Promise((r) => setTimeout(r, 2500)); // every loop has claimed at least once
      await pgsrv.stop();
      await waitFor("the open message", async () => received.length >= 1, 30_000);
      await new Promise((r) => setTimeout(r, 3000)); // every loop is past databaseDownSeconds
      expect(messages().map((m) => m.event)).toEqual(["open"]);
      const teller = /seen by ([\w-]+)\)/.exec(String(messages()[0].incident.summary))![1];
      const others = ["runner-a", "web-b", "web-c"].filter((id) => id !== teller);
      const log = logLines.join("\n");
      for (const other of others) expect(log).not.toMatch(new RegExp(`seen by ${other}`));
      expect(log.match(new RegExp(`; ${teller} tells the alert channels \\(it holds the watch\\)`, "g"))).toHaveLength(2);

      await pgsrv.start();
      await waitFor("the resolve message", async () => received.length >= 2, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(messages().map((m) => m.event)).toEqual(["open", "resolve"]);
    } finally {
      for (const loop of loops) await loop.stop();
      for (const pool of pools) await pool.end();
    }
  }, 90_000);

  it("is told by another loop when the holder stopped (at once) or died (once its lease ran out) before the outage", async () => {
    const fast = { renewMs: 200, leaseSeconds: 2 };
    const config = { ...defaultAlertSettings, channels: hook(), publicUrl: "https://switchyard.example", tickSeconds: 1, databaseDownSeconds: 2 };
    const pools = [createPool(pgsrv.server.appUrl), createPool(pgsrv.server.appUrl), createPool(pgsrv.server.appUrl)];
    const first = startAlertLoop(pools[0], config, logger, "runner-first", undefined, fast);
    await new Promise((r) => setTimeout(r, 1500)); // it holds the watch
    const second = startAlertLoop(pools[1], config, logger, "runner-second", undefined, fast);
    const third = startAlertLoop(pools[2], config, logger, "web-third", undefined, fast);
    const reader = createPool(pgsrv.server.appUrl);
    const holder = async () => (await reader.query<{ holder: string }>("SELECT holder FROM alert_watch")).rows[0]?.holder;
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(await holder()).toBe("runner-first");
      await first.stop(); // a clean stop gives the watch up
      await waitFor("another holder", async () => (await holder()) !== undefined && (await holder()) !== "runner-first", 5_000);
      const next = (await holder())!;
      // the new holder dies without a word: its pool is gone, so its release never reaches the database
      const nextIndex = next === "runner-second" ? 1 : 2;
      await pools[nextIndex].end();
      await (nextIndex === 1 ? second : third).stop();
      const survivor = nextIndex === 1 ? "web-third" : "runner-second";
      await waitFor("the survivor holds the watch", async () => (await holder()) === survivor, 10_000);
      await reader.end();
      await pgsrv.stop();
      await waitFor("the open message", async () => received.length >= 1, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(messages()).toHaveLength(1);
      expect(messages()[0].incident.summary).toMatch(new RegExp(`seen by ${survivor}\\)`));
      await pgsrv.start();
      await waitFor("the resolve message", async () => received.length >= 2, 30_000);
    } finally {
      for (const loop of [first, second, third]) await loop.stop();
      for (const pool of [...pools, reader]) await pool.end().catch(() => {});
    }
  }, 90_000);

  it("goes only to channels that take the rule and are not paused, and a failed send is tried again", async () => {
    const others = [
      { name: "runs-only", type: "webhook", url: `${hookUrl}?runs`, secret: SECRET, rules: ["run_failed"] },
      { name: "paused", type: "webhook", url: `${hookUrl}?paused`, secret: SECRET, paused: true },
    ];
    const channels = [...hook(), ...parseAlertChannels(JSON.stringify(others))];
    const notice = new DatabaseDownNotice({ afterSeconds: 60, reporter: "web-test", publicUrl: "http://127.0.0.1:3000", logger, retryMs: 200 });
    const since = new Date(Date.now() - 30_000);
    await notice.down(since, "connect ECONNREFUSED", channels, new Date());
    expect(received).toHaveLength(0); // 30 s old, 60 s asked for
    refuse = 1;
    await notice.down(since, "connect ECONNREFUSED", channels, new Date(since.getTime() + 61_000));
    expect(received).toHaveLength(0);
    expect(logLines.join("\n")).toMatch(/could not tell channel oncall that the database is unreachable \(tried again in 0 s\): webhook 127\.0\.0\.1:\d+ answered 503/);
    await notice.down(since, "connect ECONNREFUSED", channels, new Date(since.getTime() + 61_100)); // not yet due
    expect(received).toHaveLength(0);
    await notice.down(since, "connect ECONNREFUSED", channels, new Date(since.getTime() + 61_300));
    expect(messages().map((m) => m.event)).toEqual(["open"]);
    expect(messages()[0].incident.summary).toMatch(/unreachable for 61 s/);
    expect(messages()[0].incident.error).toBe("connect ECONNREFUSED");
    await notice.up(new Date(since.getTime() + 200_000));
    expect(messages().map((m) => m.event)).toEqual(["open", "resolve"]);
    expect(messages()[1].incident.summary).toMatch(/answers again after 3 min/);
  });
});
