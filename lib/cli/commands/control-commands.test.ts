import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { repoRoot } from "@/lib/paths";
import type { Runner } from "@/lib/runner/runner";
import { seedRun } from "@/lib/presenters/testing/seed";
import { addService, removeTempDirs, tempDir, testRunner } from "@/lib/runner/testing/runner-harness";
import { ensureDashboardBuild } from "@/lib/testing/build";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";

// `switchyard runs|backfill|services|runners` as a script would use them: the real CLI process against
// the real web app (`switchyard web`, production build) on a real database, one server for the
// file. Exit codes 0 done, 1 failed, 2 usage, 3 refused; each failure one line on stderr.

let db: TestDatabase;
let web: Proc;
let url: string;
const tokens: Record<string, string> = {};
const logDir = tempDir("cli-logs-"); // the runners' log folder, which the web reads too

beforeAll(async () => {
  await ensureDashboardBuild();
  db = await createTestDatabase();
  await addService(db.pool, { name: "acme", dailyCommand: "true" });
  await addService(db.pool, { name: "broken", dailyCommand: "false" });
  await addService(db.pool, { name: "chatty", dailyCommand: `sh -c 'echo "step 1: loading"; sleep 3; echo "step 2: Traceback: KeyError customer_id"'` });
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "cli-test")).token;
  }
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.url, SCHEDULER_URL: "http://127.0.0.1:9", SWITCHYARD_LOG_DIR: logDir });
  await waitForUrl(`${url}/api/v1/health`, web);
}, 300_000);

afterAll(async () => {
  await web?.stop();
  await db?.drop();
  removeTempDirs();
});

type Result = { code: number; stdout: string; stderr: string };

function cli(args: string[], options: { role?: string; env?: Record<string, string> } = {}): Promise<Result> {
  const env = { ...process.env, SWITCHYARD_URL: url, SWITCHYARD_TOKEN: options.role ? tokens[options.role] : "", ...options.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, "bin", "switchyard.mjs"), ...args], { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const oneLine = (r: Result) => r.stderr.trim().split("\n").length === 1;

describe("switchyard --help", () => {
  it("lists every command, the new ones included", async () => {
    const r = await cli(["--help"]);
    for (const name of ["start", "runs", "backfill", "services", "incidents", "runners", "user", "doctor"]) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });
});

describe("runs", { timeout: 120_000 }, () => {
  it("rerun queues a run, audited as the token; list and show find it; cancel stops it, twice is refused", async () => {
    const rerun = await cli(["runs", "rerun", "acme", "2026-01-05", "--reason", "from the cli"], { role: "operator" });
    expect(rerun).toMatchObject({ code: 0, stderr: "" });
    const id = Number(/queued run (\d+)/.exec(rerun.stdout)![1]);
    const audit = await db.pool.query("SELECT actor, action, reason FROM audit_log WHERE action = 'run.rerun' ORDER BY id DESC LIMIT 1");
    expect(audit.rows[0]).toEqual({ actor: "token:cli-test (operator@example.com)", action: "run.rerun", reason: "from the cli" });

    const list = await cli(["runs", "list", "--service", "acme", "--json"], { role: "viewer" });
    expect(JSON.parse(list.stdout).runs.map((r: { id: number }) => r.id)).toContain(id);
    const table = await cli(["runs", "list", "--service", "acme"], { role: "viewer" });
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+acme\\s+daily\\s+2026-01-05\\s+queued\\s+manual`, "m"));
    expect((await cli(["runs", "show", String(id)], { role: "viewer" })).stdout).toMatch(/requested by\s+token:cli-test \(operator@example.com\)/);

    expect(await cli(["runs", "cancel", String(id)], { role: "operator" })).toMatchObject({ code: 0, stdout: `run ${id}: cancelled\n` });
    // a run's id stands for its service and period: the cancelled run's period queued again
    const byId = await cli(["runs", "rerun", String(id), "--reason", "by id"], { role: "operator" });
    expect(byId).toMatchObject({ code: 0, stderr: "" });
    expect(byId.stdout).toMatch(/^queued run \d+: acme 2026-01-05 \(daily\)$/m);
    const again = Number(/queued run (\d+)/.exec(byId.stdout)![1]);
    expect(again).not.toBe(id);
    expect(await cli(["runs", "cancel", String(again)], { role: "operator" })).toMatchObject({ code: 0 });
    const twice = await cli(["runs", "cancel", String(id)], { role: "operator" });
    expect(twice.code).toBe(3);
    expect(oneLine(twice)).toBe(true);
  });

  it("cancel of a run launched outside Switchyard is refused (exit 3) with where to stop it, audited as the token", async () => {
    const ext = await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, requested_by, host, runner_id, root_task_id)
       SELECT id, 'daily', '2026-01-07 02:00+00', '2026-01-07', 'external', 'running', now(), 'external', 'cron-host', 'w1', 'X_1' FROM services WHERE name = 'acme' RETURNING id`,
    );
    const id = Number(ext.rows[0].id);
    const r = await cli(["runs", "cancel", String(id), "--reason", "stop"], { role: "operator" });
    expect(r.code).toBe(3);
    expect(oneLine(r)).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`refused: run ${id} was launched outside Switchyard \\(worker w1 on cron-host\\), so Switchyard cannot stop it\\. Stop it where it was started`));
    expect((await db.pool.query("SELECT status FROM runs WHERE id = $1", [id])).rows[0].status).toBe("running");
    const audit = await db.pool.query("SELECT actor, outcome, result->>'code' AS code FROM audit_log WHERE action = 'run.cancel' AND target_id = $1", [String(id)]);
    expect(audit.rows).toEqual([{ actor: "token:cli-test (operator@example.com)", outcome: "denied", code: "external_run" }]);
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = now() WHERE id = $1", [id]);
  });

  it("refuses bad input with one line and the matching exit code", async () => {
    const unknown = await cli(["runs", "rerun", "nope", "2026-01-05"], { role: "operator" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/service "nope" was not found; see `switchyard services list`/);
    expect(oneLine(unknown)).toBe(true);

    const future = await cli(["runs", "rerun", "acme", "2099-01-01"], { role: "operator" });
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/2099-01-01 has not started yet/);
    const hourly = await cli(["runs", "force", "acme", "2026-01-05T03"], { role: "operator" });
    expect(hourly.code).toBe(2);
    expect(hourly.stderr).toMatch(/acme has no hourly command/);

    const viewer = await cli(["runs", "rerun", "acme", "2026-01-06"], { role: "viewer" });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/needs the operator role; use a token of a user with that role/);
    expect(oneLine(viewer)).toBe(true);
    const noToken = await cli(["runs", "list"]);
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toMatch(/set SWITCHYARD_TOKEN .*`switchyard user token/);

    const port = await freePort();
    const unreachable = await cli(["runs", "list"], { role: "viewer", env: { SWITCHYARD_URL: `http://127.0.0.1:${port}` } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`cannot reach Switchyard at http://127.0.0.1:${port} \\(ECONNREFUSED\\); start it .* or set SWITCHYARD_URL`));
    expect(oneLine(unreachable)).toBe(true);

    const usage = await cli(["runs", "rerun", "acme"], { role: "operator" });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/expected: switchyard runs rerun SERVICE PERIOD, or runs rerun RUN_ID/);
    const noRun = await cli(["runs", "force", "999999"], { role: "operator" });
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/run 999999 was not found/);
  });

  it("--wait blocks until the run ends: 0 when done, 1 when failed", async () => {
    const runner: Runner = testRunner(db.pool, { logDir: tempDir("cli-runs-") });
    await runner.start();
    try {
      const ok = await cli(["runs", "force", "acme", "2026-01-07", "--wait"], { role: "operator" });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/run \d+: done/);
      expect(ok.stderr).not.toMatch(/: done/); // the end is said once, on stdout; stderr has the statuses on the way
      const bad = await cli(["runs", "rerun", "broken", "2026-01-07", "--wait", "--json"], { role: "operator" });
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout.slice(bad.stdout.indexOf("{"))).run).toMatchObject({ status: "failed", exitCode: 1 });
    } finally {
      await runner.stop();
    }
  });
});

describe("runs log", { timeout: 120_000 }, () => {
  it("prints a run's log; --follow prints what it appends until it ends; a run with no log says why (exit 1)", async () => {
    const queued = await cli(["runs", "rerun", "chatty", "2026-01-08"], { role: "operator" });
    const queuedId = /queued run (\d+)/.exec(queued.stdout)![1];
    const none = await cli(["runs", "log", queuedId], { role: "viewer" });
    expect(none).toMatchObject({ code: 1, stdout: "" });
    expect(none.stderr).toContain(`run ${queuedId}: it has no log (it was never launched)`);

    const runner: Runner = testRunner(db.pool, { logDir });
    await runner.start();
    try {
      const followed = await cli(["runs", "log", queuedId, "--follow"], { role: "viewer" });
      expect(followed.code).toBe(0);
      expect(followed.stdout).toContain("step 1: loading\n");
      expect(followed.stdout).toContain("step 2: Traceback: KeyError customer_id\n");
      const again = await cli(["runs", "log", queuedId], { role: "viewer" });
      expect(again).toMatchObject({ code: 0, stdout: followed.stdout });
    } finally {
      await runner.stop();
    }
    const unknown = await cli(["runs", "log", "987654"], { role: "viewer" });
    expect(unknown.code).toBe(2);
    expect(oneLine(unknown)).toBe(true);
  });
});

describe("backfill", { timeout: 120_000 }, () => {
  it("--dry-run lists the periods and queues nothing; without it, one run per period", async () => {
    const dry = await cli(["backfill", "acme", "2026-02-01", "2026-02-03", "--dry-run"], { role: "operator" });
    expect(dry).toMatchObject({ code: 0, stdout: "would queue 3 run(s) of acme:\n  2026-02-01\n  2026-02-02\n  2026-02-03\n" });
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE trigger = 'backfill'")).rows[0].n).toBe(0);
    const real = await cli(["backfill", "acme", "2026-02-01", "2026-02-03", "--json"], { role: "operator" });
    expect(JSON.parse(real.stdout).runs).toHaveLength(3);
    const backwards = await cli(["backfill", "acme", "2026-02-03", "2026-02-01"], { role: "operator" });
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/to: must not be before from/);
  });
});

describe("runs rerun-failed", { timeout: 120_000 }, () => {
  it("lists the recent failures with --dry-run, then re-runs them, audited once as the token; bad --hours is usage (2)", async () => {
    const acme = (await db.pool.query<{ id: number }>("SELECT id FROM services WHERE name = 'acme'")).rows[0].id;
    const failed = await seedRun(db.pool, { serviceId: acme, date: "2026-01-05", status: "failed", finishedAt: new Date().toISOString() });
    const dry = await cli(["runs", "rerun-failed", "--service", "acme", "--dry-run"], { role: "operator" });
    expect(dry).toMatchObject({ code: 0, stdout: `1 failed period would be re-run\n  acme daily 2026-01-05 (run ${failed} failed)\n` });
    const done = await cli(["runs", "rerun-failed", "--service", "acme", "--reason", "warehouse back", "--json"], { role: "operator" });
    expect(done.code).toBe(0);
    const answer = JSON.parse(done.stdout);
    expect(answer.runs).toHaveLength(1);
    expect(answer.runs[0]).toMatchObject({ serviceName: "acme", periodDate: "2026-01-05", trigger: "manual" });
    const audit = await db.pool.query("SELECT actor, target_id, reason FROM audit_log WHERE action = 'run.rerun-failed'");
    expect(audit.rows).toEqual([{ actor: "token:cli-test (operator@example.com)", target_id: "acme", reason: "warehouse back" }]);
    for (const bad of ["0", "200", "soon"]) {
      const r = await cli(["runs", "rerun-failed", "--hours", bad], { role: "operator" });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--hours: expected a whole number of hours from 1 to 168/);
    }
    expect((await cli(["runs", "rerun-failed"], { role: "viewer" })).code).toBe(3);
  });
});

describe("services", { timeout: 120_000 }, () => {
  it("list, show, pause and resume", async () => {
    const list = await cli(["services", "list"], { role: "viewer" });
    expect(list.stdout).toMatch(/^NAME\s+TIME ZONE/);
    expect(list.stdout).toMatch(/^NAME\s+TIME ZONE.*\s+SOURCE\s+ALERTS$/m);
    expect(list.stdout).toMatch(/^acme\s+UTC\s+02:00\s+-\s+active\s+runner\s+config\s+on$/m);
    expect(JSON.parse((await cli(["services", "show", "acme", "--json"], { role: "viewer" })).stdout).service.dailyCommand).toBe("true");
    expect((await cli(["services", "pause", "acme", "--reason", "maintenance"], { role: "operator" })).stdout).toBe("acme: paused\n");
    expect((await cli(["services", "pause", "acme"], { role: "operator" })).stdout).toBe("acme: paused (it already was)\n");
    expect((await cli(["services", "resume", "acme"], { role: "operator" })).stdout).toBe("acme: resumed\n");
    // several at once, in order; an unknown one stops there with its error
    expect((await cli(["services", "pause", "acme", "acme"], { role: "operator" })).stdout).toBe("acme: paused\nacme: paused (it already was)\n");
    const unknown = await cli(["services", "resume", "acme", "nope"], { role: "operator" });
    expect(unknown).toMatchObject({ code: 2, stdout: "acme: resumed\n" });
    expect(unknown.stderr).toMatch(/nope/);
    expect((await cli(["services", "pause"], { role: "operator" })).stderr).toMatch(/expected: switchyard services pause NAME \[NAME\.\.\.\]/);
    expect((await cli(["services", "show", "nope"], { role: "viewer" })).code).toBe(2);
  });

  it("silence and unsilence: an operator's, audited as the token, with the duration checked here and the minutes on the server", async () => {
    const before = Date.now();
    const silenced = await cli(["services", "silence", "acme", "--for", "90m", "--reason", "upstream down"], { role: "operator" });
    expect(silenced).toMatchObject({ code: 0, stderr: "" });
    const endsAt = /until (\S+)/.exec(silenced.stdout)![1];
    expect(Date.parse(endsAt) - before).toBeGreaterThanOrEqual(90 * 60_000 - 1_000);
    expect(Date.parse(endsAt) - before).toBeLessThan(91 * 60_000);
    // a second one replaces it and says what it replaced
    expect((await cli(["services", "silence", "acme", "--for", "2d"], { role: "operator" })).stdout).toMatch(new RegExp(`^acme: alerts silenced until \\S+ \\(it was silenced until ${endsAt.replace(/[.]/g, "\\.")}\\)\n$`));
    // the list says so beside the service, and show carries the silence
    const secondEndsAt = JSON.parse((await cli(["services", "show", "acme", "--json"], { role: "viewer" })).stdout).service.silence.endsAt as string;
    expect((await cli(["services", "list"], { role: "viewer" })).stdout).toMatch(new RegExp(`^acme\\s.*\\sconfig\\s+silenced until ${secondEndsAt.slice(0, 16).replace("T", " ")}Z$`, "m"));
    const rows = await db.pool.query("SELECT ended_by, reason FROM alert_silences ORDER BY id");
    expect(rows.rows).toEqual([{ ended_by: "replaced", reason: "upstream down" }, { ended_by: null, reason: null }]);
    expect((await cli(["services", "unsilence", "acme"], { role: "operator" })).stdout).toBe("acme: silence ended; 0 held message(s) of incidents still open queued\n");
    expect((await cli(["services", "unsilence", "acme"], { role: "operator" })).stdout).toBe("acme: was not silenced\n");
    expect(JSON.parse((await cli(["services", "show", "acme", "--json"], { role: "viewer" })).stdout).service.silence).toBeNull();
    const audit = await db.pool.query("SELECT action, actor, outcome, reason FROM audit_log WHERE action LIKE 'service.%silence' ORDER BY id");
    expect(audit.rows.map((r) => [r.action, r.outcome, r.reason])).toEqual([
      ["service.silence", "ok", "upstream down"],
      ["service.silence", "ok", null],
      ["service.unsilence", "ok", null],
      ["service.unsilence", "ok", null],
    ]);
    expect(audit.rows[0].actor).toBe("token:cli-test (operator@example.com)");
    // refusals: a viewer (3), no duration, a bad or too long one (2, said here), an unknown service (2)
    expect((await cli(["services", "silence", "acme", "--for", "1h"], { role: "viewer" })).code).toBe(3);
    for (const bad of [[], ["--for", "soon"], ["--for", "8d"], ["--for", "0m"]]) {
      const r = await cli(["services", "silence", "acme", ...bad], { role: "operator" });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--for/);
      expect(oneLine(r)).toBe(true);
    }
    const unknown = await cli(["services", "silence", "nope", "--for", "1h"], { role: "operator" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/service "nope"/);
  });

  it("validate prints every problem with its JSON path; sync writes the file and audits what changed", async () => {
    const dir = tempDir("cli-services-");
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ services: [{ name: "x", dailyCommand: "run {dya}", timeZone: "Mars/Base" }, { name: "Y!", dailyCommand: "true" }] }));
    const invalid = await cli(["services", "validate", bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/services\[0\]\.timeZone: expected an IANA time zone/);
    expect(invalid.stderr).toMatch(/services\[0\]\.dailyCommand: unknown placeholder \{dya\}/);
    expect(invalid.stderr).toMatch(/services\[1\]\.name: expected 1-63 characters/);

    fs.mkdirSync(path.join(dir, "shop"));
    const good = path.join(dir, "switchyard.services.json");
    fs.writeFileSync(good, JSON.stringify({ services: [{ name: "acme", dailyCommand: "true", dailyTime: "04:00" }, { name: "shop", dailyCommand: "python3 -m shop {env:SHOP_TOKEN}", workingDirectory: "shop", launch: false }] }));
    expect(await cli(["services", "validate", good])).toMatchObject({ code: 0, stdout: `${good} is valid: 2 service(s) (acme, shop)\n` });
    const luigi = path.join(dir, "luigi.json");
    fs.writeFileSync(luigi, JSON.stringify({ services: [{ name: "shop", dailyCommand: "python3 -m luigi --module shop AllDaily --day {day}" }] }));
    const noted = await cli(["services", "validate", luigi]);
    expect(noted.code).toBe(0);
    expect(noted.stdout).toMatch(/^note: 1 service starts Luigi without `--scheduler-url \{scheduler_url\}`: shop\. Its workers are not tied to the run/m);
    // --try: each command as a run would start it (lib/runner/services/preflight.test.ts has the cases)
    const tried = await cli(["services", "validate", good, "--try"], { env: { SHOP_TOKEN: "t" } });
    expect(tried.code).toBe(0);
    expect(tried.stdout).toMatch(/^ok {6}acme daily: true is \/\S+\/true; not a Python Luigi command, so not started$/m);
    expect(tried.stdout).toMatch(/^ok {6}shop daily: python3 is \/\S+; not a Python Luigi command/m);
    expect(tried.stdout).toContain("every command (2) would start");

    expect((await cli(["services", "sync", good], { role: "operator" })).code).toBe(3);
    const synced = await cli(["services", "sync", good, "--reason", "new shop"], { role: "admin" });
    expect(synced).toMatchObject({ code: 0, stdout: `synced 2 service(s) from ${good}\n  acme: dailyTime\n  shop: added\n` });
    const shop = JSON.parse((await cli(["services", "show", "shop", "--json"], { role: "viewer" })).stdout).service;
    expect(shop).toMatchObject({ workingDirectory: path.join(dir, "shop"), launch: false, dailyCommand: "python3 -m shop {env:SHOP_TOKEN}" });
    const audit = await db.pool.query("SELECT actor, reason, target_id, result FROM audit_log WHERE action = 'service.sync' AND reason = 'new shop' ORDER BY id");
    expect(audit.rows.map((r) => [r.target_id, r.result.created])).toEqual([
      ["acme", false],
      ["shop", true],
    ]);
    expect(audit.rows[0].actor).toMatch(/^token:.* \(admin@example\.com\)$/);
    expect((await cli(["services", "sync", good], { role: "admin" })).stdout).toMatch(/nothing changed/);
  });
});

describe("runners", { timeout: 60_000 }, () => {
  it("list shows a runner that died without stopping as down; pause, resume and forget are an operator's, audited as the token; forget twice is refused", async () => {
    const host = await db.pool.query("INSERT INTO hosts (name) VALUES ('cli-lost-node') RETURNING id");
    await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) VALUES ('cli-lost-node-1-aa', $1, 1, now() - interval '5 minutes')", [host.rows[0].id]);
    const list = await cli(["runners", "list"], { role: "viewer" });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^cli-lost-node-1-aa\s+cli-lost-node\s+down\s+\d+ s ago\s+0\s+-$/m);

    const paused = await cli(["runners", "pause", "cli-lost-node-1-aa", "--reason", "drain"], { role: "operator" });
    expect(paused).toMatchObject({ code: 0, stdout: "Runner cli-lost-node-1-aa on cli-lost-node is paused: it claims no new run\n" });
    expect((await cli(["runners", "pause", "cli-lost-node-1-aa"], { role: "operator" })).stdout).toMatch(/\(it already was\)$/m);
    expect((await cli(["runners", "list"], { role: "viewer" })).stdout).toMatch(/^cli-lost-node-1-aa\s+.*\s+by token:cli-test \(operator@example\.com\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: drain$/m);
    expect((await cli(["runners", "resume", "cli-lost-node-1-aa"], { role: "operator" })).stdout).toBe("Runner cli-lost-node-1-aa on cli-lost-node claims runs again\n");

    const viewer = await cli(["runners", "forget", "cli-lost-node-1-aa"], { role: "viewer" });
    expect([viewer.code, oneLine(viewer)]).toEqual([3, true]);
    const forgot = await cli(["runners", "forget", "cli-lost-node-1-aa", "--reason", "node drained and deleted"], { role: "operator" });
    expect(forgot).toMatchObject({ code: 0, stderr: "" });
    expect(forgot.stdout).toMatch(/^Runner cli-lost-node-1-aa on cli-lost-node is forgotten \(silent \d+ s\)\n$/);
    const audit = await db.pool.query("SELECT actor, reason FROM audit_log WHERE action = 'runner.forget' AND outcome = 'ok'");
    const pauses = await db.pool.query("SELECT action, target_id, reason FROM audit_log WHERE action IN ('runner.pause', 'runner.resume') AND outcome = 'ok' ORDER BY id");
    expect(pauses.rows).toEqual([
      { action: "runner.pause", target_id: "cli-lost-node-1-aa", reason: "drain" },
      { action: "runner.pause", target_id: "cli-lost-node-1-aa", reason: null },
      { action: "runner.resume", target_id: "cli-lost-node-1-aa", reason: null },
    ]);
    expect(audit.rows).toEqual([{ actor: "token:cli-test (operator@example.com)", reason: "node drained and deleted" }]);
    // no longer listed; with no runner left, the list says which one went last, and when
    expect((await cli(["runners", "list"], { role: "viewer" })).stdout).toMatch(/^no runner is running; cli-lost-node-1-aa on cli-lost-node was the last to stop \(or be forgotten\), at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(JSON.parse((await cli(["runners", "list", "--json"], { role: "viewer" })).stdout)).toMatchObject({ runners: [], lastStopped: { id: "cli-lost-node-1-aa", host: "cli-lost-node" } });

    const again = await cli(["runners", "forget", "cli-lost-node-1-aa"], { role: "operator" });
    expect([again.code, again.stderr]).toEqual([3, expect.stringMatching(/already stopped at/)]);
    const nobody = await cli(["runners", "forget", "nobody"], { role: "operator" });
    expect([nobody.code, nobody.stderr]).toEqual([2, 'switchyard runners: runner "nobody" was not found; see `switchyard runners list`\n']);
    expect((await cli(["runners", "forget"], { role: "operator" })).code).toBe(2);
  });
});

describe("audit", { timeout: 60_000 }, () => {
  it("lists the audit log newest first with the page's filters, pages with --before, and says what is wrong with a filter", async () => {
    await db.pool.query(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, reason, outcome, result)
       VALUES (now() - interval '3 days', 'user:old@example.com', 'run.rerun', 'run', '7', 'long ago', 'ok', '{}'),
              (now() - interval '2 minutes', 'user:bob@example.com', 'run.rerun', 'run', '8', 'warehouse back', 'ok', '{"runId": 12, "period": "2026-01-05", "fromTask": null}'),
              (now() - interval '1 minute', 'user:bob@example.com', 'run.force', 'run', '9', null, 'denied', '{}')`,
    );
    const list = await cli(["audit", "list", "--actor", "bob@"], { role: "viewer" });
    expect(list.code).toBe(0);
    // RESULT: what the action did, compact, without its empty fields (jsonb orders the keys)
    expect(list.stdout).toMatch(/^ID\s+AT \(UTC\)\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME\s+REASON\s+RESULT\n\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+user:bob@example\.com\s+run\.force\s+run 9\s+denied\s+-\s+-\n\d+\s+.*run\.rerun\s+run 8\s+ok\s+warehouse back\s+\{"runId":12,"period":"2026-01-05"\}\n$/);
    // since: the last day leaves out the one of three days ago; an exact action, an outcome
    const recent = JSON.parse((await cli(["audit", "list", "--actor", "user:", "--action", "run.rerun", "--since", "24h", "--json"], { role: "viewer" })).stdout);
    expect(recent.entries.map((e: { targetId: string }) => e.targetId)).toEqual(["8"]);
    const denied = JSON.parse((await cli(["audit", "list", "--outcome", "denied", "--json"], { role: "viewer" })).stdout);
    expect(denied.entries.map((e: { action: string }) => e.action)).toContain("run.force");
    // a full page says how to get the next; --before gives the older ones
    const first = await cli(["audit", "list", "--actor", "user:", "--action", "run.rerun", "--limit", "1"], { role: "viewer" });
    const next = /--before (\d+)$/m.exec(first.stdout)![1];
    const older = JSON.parse((await cli(["audit", "list", "--actor", "user:", "--action", "run.rerun", "--limit", "1", "--before", next, "--json"], { role: "viewer" })).stdout);
    expect(older.entries.map((e: { targetId: string }) => e.targetId)).toEqual(["7"]);
    // bad filters: said here (2) or by the server (its message, 2)
    const soon = await cli(["audit", "list", "--since", "soon"], { role: "viewer" });
    expect([soon.code, soon.stderr]).toEqual([2, expect.stringContaining('--since: expected an instant like 2026-12-07T00:00:00Z, a date, or 90m, 24h, 7d; got "soon"')]);
    const outcome = await cli(["audit", "list", "--outcome", "maybe"], { role: "viewer" });
    expect([outcome.code, outcome.stderr]).toEqual([2, expect.stringContaining("expected ok, denied, error or pending")]);
    expect((await cli(["audit", "list"])).code).toBe(3); // no token
  });
});
