import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts, defaultAlertSettings, type AlertSettings } from "@/lib/alerts/evaluate";
import { forgetSender, liveSenderChannels, recordSender, SENDER_GONE_SECONDS } from "@/lib/db/alerts/senders";
import { seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Every rule opens and resolves on an injected clock against a real PostgreSQL.

let db: TestDatabase;
const settings: AlertSettings = { ...defaultAlertSettings, channels: [], publicUrl: "http://127.0.0.1:3000" };
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE alert_incidents, runs, runners, hosts, services RESTART IDENTITY CASCADE");
});

async function service(name: string, extra: Record<string, unknown> = {}): Promise<number> {
  const s = { retry_attempts: 0, expected_done_by: null, created_at: "2026-01-01T00:00:00Z", ...extra };
  const r = await db.pool.query(
    `INSERT INTO services (name, display_name, daily_command, retry_attempts, expected_done_by, created_at, daily_time, time_zone)
     VALUES ($1, $1, 'true', $2, $3, $4, '02:00', 'Europe/Berlin') RETURNING id`,
    [name, s.retry_attempts, s.expected_done_by, s.created_at],
  );
  return r.rows[0].id;
}

async function run(serviceId: number, r: { date: string; status: string; attempt?: number; started?: string; finished?: string; queued?: string; error?: string }): Promise<number> {
  const res = await db.pool.query(
    `INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, started_at, finished_at, queued_at, not_before, error)
     VALUES ($1, 'daily', ($2::date)::timestamp AT TIME ZONE 'Europe/Berlin', $2, $3, 'manual', $4, $5, $6, coalesce($7::timestamptz, now()), coalesce($7::timestamptz, now()), $8) RETURNING id`,
    [serviceId, r.date, r.attempt ?? 1, r.status, r.started ?? null, r.finished ?? (["failed", "lost", "done"].includes(r.status) ? new Date() : null), r.queued ?? null, r.error ?? null],
  );
  return res.rows[0].id;
}

async function incidents() {
  const r = await db.pool.query("SELECT key, rule, status, opened_count, run_id FROM alert_incidents ORDER BY id");
  return r.rows;
}

describe("alert rules", () => {
  it("run_failed opens when no retry is left, once per period, and resolves when a later run is done", async () => {
    const s = await service("sales", { retry_attempts: 1 });
    await run(s, { date: "2026-03-10", status: "failed", attempt: 1, error: "boom" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:00Z"));
    expect(await incidents()).toEqual([]); // a retry is still allowed
    const second = await run(s, { date: "2026-03-10", status: "failed", attempt: 2, error: "KeyError: x\nstack" });
    const t1 = await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:10Z"));
    expect(t1.changes.map((c) => c.event)).toEqual(["open"]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:20Z")); // same incident, no second open
    expect(await incidents()).toMatchObject([{ rule: "run_failed", status: "open", opened_count: 1, run_id: second }]);
    await run(s, { date: "2026-03-10", status: "queued" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:30Z"));
    expect((await incidents())[0].status).toBe("open"); // queued is not done
    await run(s, { date: "2026-03-10", status: "done" });
    const t2 = await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:40Z"));
    expect(t2.changes.map((c) => c.event)).toEqual(["resolve"]);
    const third = await run(s, { date: "2026-03-10", status: "lost", attempt: 2 });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:50Z"));
    expect(await incidents()).toMatchObject([{ status: "open", opened_count: 2, run_id: third }]); // re-open: same row
  });

  it("run_failed opens for a catch-up run of a period weeks old: recent failures count, not recent periods", async () => {
    const s = await service("catchup");
    await run(s, { date: "2026-02-01", status: "failed", finished: "2026-03-11T09:00:00Z" });
    await run(s, { date: "2026-02-02", status: "failed", finished: "2026-03-01T09:00:00Z" }); // ended before the look-back
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:00Z"));
    expect(await incidents()).toMatchObject([{ rule: "run_failed", status: "open" }]);
  });

  it("run_failed leads with the failed task of that run's own closure and its exception, then the runner's inference", async () => {
    const s = await service("shop-bad");
    const events = (failed: boolean): Array<[string, string]> => [["PENDING", "2026-03-02 01:00:00"], ["RUNNING", "2026-03-02 01:00:01"], [failed ? "FAILED" : "DONE", "2026-03-02 01:00:02"]];
    await seedTask(db.pool, { taskId: "AllDaily_shop_bad_0302", family: "AllDaily", params: { service: "shop-bad", day: "2026-03-01" }, events: [["PENDING", "2026-03-02 01:00:00"]] });
    await seedTask(db.pool, { taskId: "Publish_shop_bad_0302", family: "Publish", params: { service: "shop-bad", day: "2026-03-01" }, events: events(true) });
    // another service's task failing in the same minute, with the same day parameter: not this run's
    await seedTask(db.pool, { taskId: "Publish_shop_other_0302", family: "Publish", params: { service: "shop-other", day: "2026-03-01" }, events: events(true) });
    await db.pool.query("INSERT INTO task_dependencies (task_id, dep_task_id) VALUES ('AllDaily_shop_bad_0302', 'Publish_shop_bad_0302')");
    await db.pool.query("INSERT INTO task_failures (task_id, ts, explanation) VALUES ($1, '2026-03-02 01:00:02', $2), ($3, '2026-03-02 01:00:02', $4)", [
      "Publish_shop_bad_0302",
      JSON.stringify("Traceback (most recent call last):\n  File \"shop.py\", line 9, in run\nInjectedFailure: publish refused"),
      "Publish_shop_other_0302",
      JSON.stringify("OtherError: not this run's"),
    ]);
    const r = await run(s, { date: "2026-03-01", status: "failed", started: "2026-03-02T01:00:00Z", finished: "2026-03-02T01:00:05Z", error: "the process exited with code 30 (a task failed) and root task AllDaily_shop_bad_0302 is PENDING, not DONE, in the scheduler" });
    await db.pool.query("UPDATE runs SET root_task_id = 'AllDaily_shop_bad_0302' WHERE id = $1", [r]);
    await evaluateAlerts(db.pool, settings, at("2026-03-02T01:01:00Z"));
    const error = (await db.pool.query("SELECT error FROM alert_incidents WHERE run_id = $1", [r])).rows[0].error as string;
    expect(error.split("\n")).toEqual([
      "Publish(day=2026-03-01, service=shop-bad) failed: InjectedFailure: publish refused",
      "the process exited with code 30 (a task failed) and root task AllDaily_shop_bad_0302 is PENDING, not DONE, in the scheduler",
    ]);
  });

  it("sla_miss opens after expected_done_by without a done run and resolves when done", async () => {
    // daily 02:00 Berlin, expected by 06:00: the period of 2026-03-10 is expected by 2026-03-11 06:00 CET = 05:00Z
    const s = await service("billing", { expected_done_by: "06:00" });
    await run(s, { date: "2026-03-10", status: "running", started: "2026-03-11T01:00:00Z" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T04:59:00Z"));
    expect(await incidents()).toEqual([]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T05:01:00Z"));
    expect(await incidents()).toMatchObject([{ rule: "sla_miss", status: "open" }]);
    await run(s, { date: "2026-03-10", status: "done" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T05:02:00Z"));
    expect(await incidents()).toMatchObject([{ rule: "sla_miss", status: "resolved" }]);
  });

  it("sla_miss counts a missing period (no run at all) but not one of a service created after it was due", async () => {
    await service("never-ran", { expected_done_by: "06:00" });
    await service("brand-new", { expected_done_by: "06:00", created_at: "2026-03-11T03:00:00Z" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T05:30:00Z"));
    const rows = await db.pool.query("SELECT s.name FROM alert_incidents i JOIN services s ON s.id = i.service_id");
    expect(rows.rows.map((r) => r.name)).toEqual(["never-ran"]);
  });

  it("long_running opens past k × the median of the last done runs and resolves when the run ends", async () => {
    const s = await service("etl");
    for (const d of ["01", "02", "03"]) await run(s, { date: `2026-03-${d}`, status: "done", started: `2026-03-0${Number(d) + 1}T01:00:00Z`, finished: `2026-03-0${Number(d) + 1}T01:10:00Z` });
    const r = await run(s, { date: "2026-03-10", status: "running", started: "2026-03-11T01:00:00Z" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:29:00Z")); // 29 min < 3 × 10
    expect(await incidents()).toEqual([]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:31:00Z"));
    expect(await incidents()).toMatchObject([{ rule: "long_running", status: "open", run_id: r }]);
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = '2026-03-11T01:40:00Z' WHERE id = $1", [r]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:41:00Z"));
    expect(await incidents()).toMatchObject([{ rule: "long_running", status: "resolved" }]);
  });

  it("long_running leaves alone a run of seconds that takes a minute: it must also be 10 minutes over its usual time", async () => {
    const s = await service("quick");
    for (const d of ["01", "02", "03"]) await run(s, { date: `2026-04-${d}`, status: "done", started: `2026-04-0${Number(d) + 1}T01:00:00Z`, finished: `2026-04-0${Number(d) + 1}T01:00:05Z` });
    const r = await run(s, { date: "2026-04-10", status: "running", started: "2026-04-11T01:00:00Z" });
    await evaluateAlerts(db.pool, settings, at("2026-04-11T01:09:00Z")); // 108 × its usual 5 s, but only 9 min over
    expect((await incidents()).filter((i) => i.run_id === r)).toEqual([]);
    await evaluateAlerts(db.pool, settings, at("2026-04-11T01:10:30Z"));
    expect((await incidents()).filter((i) => i.run_id === r)).toMatchObject([{ rule: "long_running", status: "open" }]);
    expect((await db.pool.query("SELECT summary FROM alert_incidents WHERE run_id = $1", [r])).rows[0].summary).toContain("its usual 5 s");
  });

  it("stuck_queue opens when the oldest queued run waits longer than N minutes and resolves when claimed", async () => {
    const s = await service("queue");
    const r = await run(s, { date: "2026-03-10", status: "queued", queued: "2026-03-11T01:00:00Z" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:29:00Z"));
    expect(await incidents()).toEqual([]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:31:00Z"));
    expect(await incidents()).toMatchObject([{ key: "stuck_queue", status: "open", run_id: r }]);
    await db.pool.query("UPDATE runs SET status = 'running', started_at = '2026-03-11T01:32:00Z' WHERE id = $1", [r]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:33:00Z"));
    expect(await incidents()).toMatchObject([{ key: "stuck_queue", status: "resolved" }]);
  });

  it("stuck_queue waits while every live runner is paused one by one (drained), and opens when only some are", async () => {
    const s = await service("queue");
    await run(s, { date: "2026-03-10", status: "queued", queued: "2026-03-11T01:00:00Z" });
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
    // drained (paused, alive); a dead one that never stopped does not count as a runner that would claim
    // (all started before either went silent: none replaced another, lib/db/hosts/runners.ts)
    await db.pool.query(`INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at, paused) VALUES
      ('drained', 1, 42, '2026-03-10T23:00:00Z', '2026-03-11T01:30:50Z', true), ('dead', 1, 43, '2026-03-10T23:00:00Z', '2026-03-11T00:00:00Z', false)`);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:31:00Z"));
    expect((await incidents()).filter((i) => i.rule === "stuck_queue")).toEqual([]);
    await db.pool.query("INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) VALUES ('working', 1, 44, '2026-03-10T23:00:00Z', '2026-03-11T01:30:55Z')");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:31:00Z"));
    expect((await incidents()).filter((i) => i.rule === "stuck_queue")).toMatchObject([{ key: "stuck_queue", status: "open" }]);
  });

  it("runner_stale opens when a live runner stops heartbeating and resolves when it heartbeats again", async () => {
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
    await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) VALUES ('r1', 1, 42, '2026-03-11T01:00:00Z')");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:00:59Z"));
    expect(await incidents()).toEqual([]);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:30Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:r1", status: "open" }]);
    await db.pool.query("UPDATE runners SET heartbeat_at = '2026-03-11T01:01:40Z'");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:45Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:r1", status: "resolved" }]);
  });

  it("runner_stale is critical when no runner is alive, a warning while another one is", async () => {
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1'), ('h2')");
    // r2 on another host (or a sibling on the same host, started before r1 went silent) stays alive
    await db.pool.query(`INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) VALUES
      ('r1', 1, 42, '2026-03-11T00:00:00Z', '2026-03-11T01:00:00Z'),
      ('r2', 2, 43, '2026-03-11T00:00:00Z', '2026-03-11T01:01:25Z'),
      ('r3', 1, 44, '2026-03-11T00:30:00Z', '2026-03-11T01:01:25Z')`);
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:30Z"));
    const opened = await db.pool.query("SELECT key, severity, summary FROM alert_incidents");
    expect(opened.rows).toEqual([{ key: "runner_stale:r1", severity: "warning", summary: "runner r1 (pid 42 on h1) last heartbeated 90 s ago; if it is gone for good (a pod lost with its node), forget it: home page, or switchyard runners forget r1" }]);
    await db.pool.query("UPDATE runners SET heartbeat_at = '2026-03-11T01:00:10Z' WHERE id IN ('r2', 'r3')");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:30Z"));
    const all = await db.pool.query("SELECT key, severity, summary FROM alert_incidents WHERE key <> 'runner_stale:r1' ORDER BY key");
    expect(all.rows).toEqual([
      { key: "runner_stale:r2", severity: "critical", summary: "runner r2 (pid 43 on h2) last heartbeated 80 s ago; no runner is alive, so no run is being launched" },
      { key: "runner_stale:r3", severity: "critical", summary: "runner r3 (pid 44 on h1) last heartbeated 80 s ago; no runner is alive, so no run is being launched" },
    ]);
  });

  it("a runner killed and restarted on its host is not stale: the new one replaced it", async () => {
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
    await db.pool.query("INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) VALUES ('r1', 1, 42, '2026-03-11T00:00:00Z', '2026-03-11T01:00:00Z')");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:30Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:r1", status: "open" }]);
    // restarted on the same host after r1's last heartbeat (a supervisor, systemd)
    await db.pool.query("INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) VALUES ('r1b', 1, 77, '2026-03-11T01:01:32Z', '2026-03-11T01:01:40Z')");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:45Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:r1", status: "resolved" }]);
    // the replacement dies too: it is the host's stale runner now, and nobody is alive; r1 stays replaced
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:03:00Z"));
    const open = await db.pool.query("SELECT key, severity FROM alert_incidents WHERE status = 'open'");
    expect(open.rows).toEqual([{ key: "runner_stale:r1b", severity: "critical" }]);
  });

  it("with two runner pods on one node, a dead pod is not hidden by its sibling's restart; a new pod there replaces it", async () => {
    await db.pool.query("INSERT INTO hosts (name) VALUES ('node-1')");
    const runner = (id: string, instance: string, started: string, heartbeat: string) =>
      db.pool.query("INSERT INTO runners (id, host_id, pid, instance, started_at, heartbeat_at) VALUES ($1, 1, 42, $2, $3, $4)", [id, instance, started, heartbeat]);
    await runner("pod1-a", "runner-pod-1", "2026-03-11T00:00:00Z", "2026-03-11T01:00:00Z"); // died at 01:00
    await runner("pod2-a", "runner-pod-2", "2026-03-11T00:00:00Z", "2026-03-11T01:01:20Z");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:30Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:pod1-a", status: "open" }]);
    // pod 2's container restarts on the node: pod 1 is still dead
    await runner("pod2-b", "runner-pod-2", "2026-03-11T01:01:32Z", "2026-03-11T01:01:40Z");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:45Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:pod1-a", status: "open" }]);
    // a new pod on the node (the Deployment's replacement for pod 1) speaks for the host
    await db.pool.query("UPDATE runners SET heartbeat_at = '2026-03-11T01:01:56Z' WHERE id = 'pod2-b'"); // pod 2 lives on
    await runner("pod3-a", "runner-pod-3", "2026-03-11T01:01:50Z", "2026-03-11T01:01:55Z");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:01:58Z"));
    expect(await incidents()).toMatchObject([{ key: "runner_stale:pod1-a", status: "resolved" }]);
  });

  it("runner_restarts opens when a host's runner dies without stopping 3 times in 15 minutes, and resolves as they age out", async () => {
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1'), ('h2')");
    // h1: three runners that died (never stopped), each started again 30 s later; the fourth is alive
    // h2: the same, but the second one stopped cleanly (a deploy): two crashes, not a loop
    await db.pool.query(`INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at, stopped_at) VALUES
      ('c1', 1, 11, '2026-03-11T01:00:00Z', '2026-03-11T01:00:04Z', NULL), ('c2', 1, 12, '2026-03-11T01:00:35Z', '2026-03-11T01:00:37Z', NULL),
      ('c3', 1, 13, '2026-03-11T01:01:10Z', '2026-03-11T01:01:12Z', NULL), ('c4', 1, 14, '2026-03-11T01:01:45Z', '2026-03-11T01:01:59Z', NULL),
      ('d1', 2, 21, '2026-03-11T01:00:00Z', '2026-03-11T01:00:04Z', NULL), ('d2', 2, 22, '2026-03-11T01:00:35Z', '2026-03-11T01:00:37Z', '2026-03-11T01:00:37Z'),
      ('d3', 2, 23, '2026-03-11T01:01:10Z', '2026-03-11T01:01:12Z', NULL), ('d4', 2, 24, '2026-03-11T01:01:45Z', '2026-03-11T01:01:59Z', NULL)`);
    const restarts = async () => (await db.pool.query("SELECT key, status, severity, summary FROM alert_incidents WHERE rule = 'runner_restarts'")).rows;
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:02:00Z"));
    expect(await restarts()).toEqual([
      { key: "runner_restarts:h1", status: "open", severity: "critical", summary: "the runner on h1 died 3 times in the last 15 min without stopping (the last one pid 13); the supervisor keeps starting it again" },
    ]);
    // 15 minutes after the first death only two are left in the window
    await evaluateAlerts(db.pool, settings, at("2026-03-11T01:15:30Z"));
    expect(await restarts()).toMatchObject([{ key: "runner_restarts:h1", status: "resolved" }]);
  });

  it("an incident resolved by hand stays resolved for the same run and re-opens for a new failed run", async () => {
    const s = await service("manual");
    await run(s, { date: "2026-03-10", status: "failed" });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:00Z"));
    await db.pool.query("UPDATE alert_incidents SET status = 'resolved', resolved_by = 'alice', resolved_at = now()");
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:10Z"));
    expect(await incidents()).toMatchObject([{ status: "resolved", opened_count: 1 }]);
    await run(s, { date: "2026-03-10", status: "failed", attempt: 2 });
    await evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:20Z"));
    expect(await incidents()).toMatchObject([{ status: "open", opened_count: 2 }]);
  });

  it("channel_failing opens for a channel that gave up on its messages, is told through the other channels only, and resolves when one goes through", async () => {
    await db.pool.query("TRUNCATE alert_outbox RESTART IDENTITY");
    const hook = { name: "hook", type: "webhook" as const, url: "https://hooks.example.test/x", secret: "0123456789abcdef-secret" };
    const slack = { name: "slack", type: "slack" as const, url: "https://hooks.slack.example.test/x" };
    const resting = { name: "resting", type: "slack" as const, url: "https://hooks.slack.example.test/y", paused: true };
    const withChannels = { ...settings, channels: [hook, slack, resting] };
    const message = (channel: string, status: string, minute: number) =>
      db.pool.query(
        `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, attempts, next_attempt_at, created_at, sent_at, last_error)
         VALUES (NULL, 0, 'test', $1, '{}', $2, 5, now(), $3, CASE WHEN $2 = 'sent' THEN $3::timestamptz END, CASE WHEN $2 = 'failed' THEN 'webhook hooks.example.test: HTTP 410 Gone' END)`,
        [channel, status, `2026-03-11T10:${String(minute).padStart(2, "0")}:00Z`],
      );
    await message("hook", "sent", 0);
    await message("hook", "pending", 1); // retrying: not yet a failure
    await message("resting", "failed", 1); // a paused channel is not watched
    await evaluateAlerts(db.pool, withChannels, at("2026-03-11T10:05:00Z"));
    expect(await incidents()).toEqual([]);

    await message("hook", "failed", 2);
    const opened = await evaluateAlerts(db.pool, withChannels, at("2026-03-11T10:06:00Z"));
    expect(opened.changes.map((c) => [c.event, c.incident.key, c.incident.severity])).toEqual([["open", "channel_failing:hook", "critical"]]);
    expect(opened.changes[0].incident.summary).toBe("alert channel hook gave up on 1 message since 2026-03-11 10:02 UTC: whoever it pages is not being told (Channels page: fix it, then Test send)");
    expect(opened.changes[0].incident.error).toBe("webhook hooks.example.test: HTTP 410 Gone");
    const told = await db.pool.query("SELECT channel, status FROM alert_outbox WHERE incident_id IS NOT NULL ORDER BY channel");
    expect(told.rows).toEqual([
      { channel: "resting", status: "skipped" },
      { channel: "slack", status: "pending" },
    ]); // not to hook itself

    await message("hook", "sent", 7);
    const resolved = await evaluateAlerts(db.pool, withChannels, at("2026-03-11T10:08:00Z"));
    expect(resolved.changes.map((c) => [c.event, c.incident.key])).toEqual([["resolve", "channel_failing:hook"]]);
  });

  it("channel_failing judges the channels any live loop sends to: an evaluator without the channel in its environment leaves the incident open, until no loop sends to it", async () => {
    await db.pool.query("TRUNCATE alert_outbox, alert_senders RESTART IDENTITY");
    const hook = { name: "hook", type: "webhook" as const, url: "https://hooks.example.test/x", secret: "0123456789abcdef-secret" };
    const slack = { name: "slack", type: "slack" as const, url: "https://hooks.slack.example.test/x" };
    const knowsHook = { ...settings, channels: [hook, slack] }; // a runner with the new SWITCHYARD_ALERT_CHANNELS
    const withoutHook = { ...settings, channels: [slack] }; // a web not restarted yet
    await db.pool.query(
      `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, attempts, next_attempt_at, created_at, last_error)
       VALUES (NULL, 0, 'test', 'hook', '{}', 'failed', 8, now(), '2026-03-11T10:02:00Z', 'webhook hooks.example.test: HTTP 410 Gone')`,
    );
    await recordSender(db.pool, "runner-a", ["hook", "slack"]);
    await recordSender(db.pool, "web-b", ["slack"]);
    const open = async () => (await incidents()).filter((i) => i.status === "open").map((i) => i.key);
    await evaluateAlerts(db.pool, knowsHook, at("2026-03-11T10:06:00Z"));
    expect(await open()).toEqual(["channel_failing:hook"]);
    // the evaluators take turns: the one without hook must not resolve it (and the next re-open it)
    const turn = await evaluateAlerts(db.pool, withoutHook, at("2026-03-11T10:06:10Z"));
    expect(turn.changes).toEqual([]);
    expect(await open()).toEqual(["channel_failing:hook"]);

    // the runner stops (the change was taken back): nobody sends to hook, so nothing is failing
    await forgetSender(db.pool, "runner-a");
    const gone = await evaluateAlerts(db.pool, withoutHook, at("2026-03-11T10:07:00Z"));
    expect(gone.changes.map((c) => [c.event, c.incident.key])).toEqual([["resolve", "channel_failing:hook"]]);
    // ... and a loop that died without a word is gone once its row is two minutes old
    await recordSender(db.pool, "runner-a", ["hook", "slack"]);
    await evaluateAlerts(db.pool, knowsHook, at("2026-03-11T10:08:00Z"));
    expect(await open()).toEqual(["channel_failing:hook"]);
    await db.pool.query("UPDATE alert_senders SET seen_at = now() - make_interval(secs => $1) WHERE sender_id = 'runner-a'", [SENDER_GONE_SECONDS + 1]);
    await evaluateAlerts(db.pool, withoutHook, at("2026-03-11T10:09:00Z"));
    expect(await open()).toEqual([]);
    expect(await liveSenderChannels(db.pool)).toEqual(["slack"]);
  });

  it("two runners ticking at once open an incident once", async () => {
    const s = await service("race");
    await run(s, { date: "2026-03-10", status: "failed" });
    const ticks = await Promise.all([0, 1, 2, 3].map(() => evaluateAlerts(db.pool, settings, at("2026-03-11T10:00:00Z"))));
    expect(ticks.flatMap((t) => t.changes).length).toBe(1);
    expect(await incidents()).toHaveLength(1);
  });
});
