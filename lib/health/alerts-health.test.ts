import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMetricsRegistry } from "@/lib/alerts/metrics";
import { recordSender } from "@/lib/db/alerts/senders";
import { getHealth } from "@/lib/health/get-health";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Component health's "Alerts" row (and /metrics' switchyard_alert_channel_failing) against a real PostgreSQL: the delivery log (alert_outbox) as
// the sender leaves it — a message given up on, one waiting for a retry after an error, one sent.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

const alerts = async () => (await getHealth(db.pool, "http://127.0.0.1:9")).parts.alerts;

async function channel(name: string, paused = false) {
  await db.pool.query("INSERT INTO alert_channels (name, kind, target, secrets, paused) VALUES ($1, 'slack', '{}', '{}', $2)", [name, paused]);
}

async function message(channel: string, status: string, attempts: number, minutesAgo: number) {
  await db.pool.query(
    `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, attempts, next_attempt_at, created_at, sent_at, last_error)
     VALUES (NULL, 0, 'test', $1, '{}', $2, $3, now(), now() - make_interval(mins => $4), CASE WHEN $2 = 'sent' THEN now() - make_interval(mins => $4) END,
             CASE WHEN $2 <> 'sent' THEN 'HTTP 404 from the webhook' END)`,
    [channel, status, attempts, minutesAgo],
  );
}

describe("Component health: alerts", () => {
  it("says when no channel would tell anyone, without degrading a fresh install", async () => {
    expect(await alerts()).toMatchObject({ status: "unknown", detail: "no alert channel: incidents are shown here and on /incidents only" });
  });

  it("is down while a channel's messages since its last delivered one fail, and ok once one goes through", async () => {
    await channel("oncall-slack");
    await channel("paused-hook", true);
    await message("oncall-slack", "sent", 1, 120);
    expect(await alerts()).toMatchObject({ status: "ok", detail: expect.stringMatching(/^1 channel; last message sent \d{4}-\d\d-\d\d \d\d:\d\d UTC$/) });

    // the webhook was revoked: one message given up on, one waiting for its next try; a paused channel's failures do not count
    await message("oncall-slack", "failed", 5, 60);
    await message("oncall-slack", "pending", 2, 30);
    await message("paused-hook", "failed", 5, 30);
    const failing = await alerts();
    expect(failing).toMatchObject({ status: "down", detail: expect.stringMatching(/^1 of 1 channel failing since \d{4}-\d\d-\d\d \d\d:\d\d UTC: 2 messages not delivered \(see Channels\)$/) });
    expect(failing.detail).not.toContain("oncall-slack"); // anyone may read health: no names, no errors
    expect((await getHealth(db.pool, "http://127.0.0.1:9")).status).toBe("degraded");
    // and /metrics says which, for a Prometheus rule that pages about the pager
    const failingMetric = async () => ((await (await buildMetricsRegistry(db.pool)).getSingleMetric("switchyard_alert_channel_failing")!.get()).values).map((v) => [v.labels.channel, v.value]);
    expect(await failingMetric()).toEqual([["oncall-slack", 1]]);

    // a message being sent for the first time is not a failure
    await db.pool.query("DELETE FROM alert_outbox WHERE status <> 'sent'");
    await message("oncall-slack", "sending", 1, 0);
    expect((await alerts()).status).toBe("ok");
    // fixed: the next message went through
    await message("oncall-slack", "failed", 5, 10);
    expect((await alerts()).status).toBe("down");
    await message("oncall-slack", "sent", 1, 1);
    expect(await alerts()).toMatchObject({ status: "ok" });
    expect(await failingMetric()).toEqual([["oncall-slack", 0]]);
  });

  it("says, without names, when the processes list different channels in their environments", async () => {
    await recordSender(db.pool, "runner-a", ["pager"]);
    await recordSender(db.pool, "web-b", []);
    const differ = await alerts();
    expect(differ).toMatchObject({ status: "ok", detail: expect.stringMatching(/; the processes' SWITCHYARD_ALERT_CHANNELS differ \(see Channels\)$/) });
    expect(differ.detail).toMatch(/^2 channels;/); // pager counts: a live loop sends to it
    expect(differ.detail).not.toContain("pager");
    await recordSender(db.pool, "web-b", ["pager"]);
    expect((await alerts()).detail).not.toContain("differ");
  });
});
