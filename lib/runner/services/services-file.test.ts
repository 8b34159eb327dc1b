import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCommands, demoServices } from "@/pipelines/demo/fleet";
import { repoRoot } from "@/lib/paths";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { syncServices } from "@/lib/db/services/sync-services";
import { describeLimits, describeNotInFile, describeUntiedCommands, syncServicesFile } from "@/lib/runner/services/sync-services-file";
import { describeRetired, retireDemoServices } from "@/lib/runner/services/retire-demo";
import { saveService } from "@/lib/db/services/save-service";
import { demoServicesFile, HOURLY_SERVICES } from "@/lib/runner/services/demo-services-file";
import { loadServicesFile, parseServicesFile, ServicesFileError } from "@/lib/runner/services/load-services-file";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The services file: a clear error naming the bad field, the demo fleet's file agreeing with
// fleet.ts, and the sync into the database (idempotent, the file wins).

const demoFile = path.join(repoRoot, "pipelines/demo/switchyard.services.json");

function problems(json: unknown): string[] {
  try {
    parseServicesFile(JSON.stringify(json), "test.json");
  } catch (error) {
    return (error as ServicesFileError).problems;
  }
  return [];
}

describe("services file", () => {
  it("names the bad field of each problem", () => {
    expect(problems({ services: [{ name: "ok", dailyCommand: "true", timeZone: "Europe/Berln" }] })).toEqual([expect.stringMatching(/^services\[0\]\.timeZone: expected an IANA time zone/)]);
    expect(problems({ services: [{ name: "ok", dailyCommand: "run {dya}" }] })).toEqual([expect.stringMatching(/^services\[0\]\.dailyCommand: unknown placeholder \{dya\}/)]);
    expect(problems({ services: [{ name: "ok", dailyCommand: "run {hour}" }] })[0]).toMatch(/dailyCommand: unknown placeholder \{hour\}/);
    expect(problems({ services: [{ name: "ok", dailyCommand: "true", hourly: true }] })).toEqual(["services[0].hourlyCommand: required when hourly is true"]);
    expect(problems({ services: [{ name: "ok", dailyCommand: "true", dailyTime: "25:00", retry: { attempts: -1 } }] })).toEqual([
      expect.stringMatching(/^services\[0\]\.dailyTime:/),
      expect.stringMatching(/^services\[0\]\.retry\.attempts: expected 0 or more/),
    ]);
    expect(problems({ services: [{ name: "x", dailyCommand: "true" }, { name: "x", dailyCommand: "true" }] })[0]).toMatch(/services\[1\]\.name: duplicate service name "x"/);
    expect(problems({ services: [{ name: "x", dailyCommand: "true", concurrencyGroup: "gpu" }] })[0]).toMatch(/concurrencyGroup: group "gpu" is not declared/);
    expect(problems({ services: [{ name: "x", dailyCommand: "true", colour: "red" }] })[0]).toMatch(/^services\[0\]: .*colour/i);
    expect(() => parseServicesFile("{ nope", "f.json")).toThrow(/f.json is not a valid services file:\n {2}not valid JSON/);
    expect(problems({ services: [{ name: "x", displayName: "X\u0000", dailyCommand: "true" }] })).toEqual(["contains a NUL character (\\u0000), which PostgreSQL text cannot hold"]);
  });

  it("notes the services whose commands start Luigi without {scheduler_url}, and only those", () => {
    const file = parseServicesFile(
      JSON.stringify({
        services: [
          { name: "tied", dailyCommand: "python3 -m luigi --module shop AllDaily --day {day} --scheduler-url {scheduler_url}" },
          { name: "untied", dailyCommand: "python3 -m luigi --module shop AllDaily --day {day}" },
          { name: "hourly-untied", dailyCommand: "true", hourly: true, hourlyCommand: "/opt/venv/bin/luigi --module shop Hourly --hour {hour}" },
          { name: "sdk-untied", dailyCommand: "node bin/switchyard.mjs run --module p.ts All --day {day}" },
          { name: "wrapper", dailyCommand: "./run-daily.sh {service} {day}" },
          { name: "luigiish-name", dailyCommand: "python3 -m luigi_tools.export {day}" },
        ],
      }),
    );
    expect(describeUntiedCommands(file)).toBe(
      "3 services start Luigi without `--scheduler-url {scheduler_url}`: untied, hourly-untied, sdk-untied. Their workers are not tied to the run, so when a run is killed or cancelled its tasks stay RUNNING in the scheduler until the workers time out (worker_disconnect_delay, 60 s by default), and a re-run started meanwhile finds them still running elsewhere.",
    );
    expect(describeUntiedCommands(loadServicesFile(demoFile))).toBeNull();
  });

  it("the demo file is demoServicesFile() written out, and agrees with fleet.ts", () => {
    const file = loadServicesFile(demoFile);
    expect(JSON.parse(fs.readFileSync(demoFile, "utf8"))).toEqual(demoServicesFile());
    const fleet = demoServices();
    expect(file.services.map((s) => s.name)).toEqual(fleet.map((s) => s.name));
    for (const [i, s] of file.services.entries()) {
      const f = fleet[i];
      expect({ displayName: s.displayName, timeZone: s.timeZone, dailyTime: s.dailyTime, hourlyMinute: s.hourlyMinute, labels: s.labels }).toEqual({
        displayName: f.displayName,
        timeZone: f.timeZone,
        dailyTime: f.dailyTime,
        hourlyMinute: f.hourlyMinute,
        labels: f.labels,
      });
      expect([s.dailyCommand, s.hourlyCommand, s.forceArgument, s.fromTaskArgument]).toEqual([demoCommands.daily, demoCommands.hourly, demoCommands.force, demoCommands.forceTask]);
      // hourly only where fleet.ts has it, and only for a few (a light demo on 2 cores)
      if (s.hourly) expect(f.hourly).toBe(true);
    }
    expect(file.services.filter((s) => s.hourly)).toHaveLength(HOURLY_SERVICES);
    expect(file.maxRunning).toBe(2);
  });
});

describe("sync into the database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it("writes every service, group and the fleet limit; a second sync changes nothing but what the file changed", async () => {
    const file = loadServicesFile(demoFile);
    const initial = (await db.pool.query("SELECT max_running FROM runner_control WHERE id = 1")).rows[0].max_running;
    expect(await syncServices(db.pool, file)).toMatchObject({
      services: 24,
      groups: 1,
      limits: [
        { limit: "concurrency group demo_db", from: null, to: 2 },
        ...(initial === 2 ? [] : [{ limit: "maxRunning", from: initial, to: 2 }]),
      ],
    });
    const first = await listServiceRecords(db.pool);
    expect(first).toHaveLength(24);
    const nw = first.find((s) => s.name === "northwind-traders")!;
    expect(nw).toMatchObject({ timeZone: "America/New_York", hourly: true, forceArgument: "--force", source: "config" });
    const oldTime = first.find((s) => s.name === file.services[0].name)!.dailyTime;
    file.services[0].dailyTime = "05:45";
    file.services[0].environment = { ...file.services[0].environment, SECRET_TOKEN: "hunter2" };
    const resync = await syncServices(db.pool, file);
    // only what changed is reported and audited, environment by name and never by value
    expect(resync.changes.map((c) => [c.service, c.summary])).toEqual([[file.services[0].name, `dailyTime "${oldTime}" → "05:45", environment +SECRET_TOKEN`]]);
    const audit = await db.pool.query("SELECT actor, target_id, result FROM audit_log WHERE action = 'service.sync' ORDER BY id");
    expect(audit.rows).toHaveLength(25);
    expect(audit.rows[24]).toMatchObject({ actor: "system:services-file", target_id: file.services[0].name, result: { created: false, changed: { environment: { added: ["SECRET_TOKEN"] } } } });
    expect(JSON.stringify(audit.rows)).not.toContain("hunter2");
    const second = await listServiceRecords(db.pool);
    expect(second.map((s) => s.id)).toEqual(first.map((s) => s.id));
    expect(second.find((s) => s.name === file.services[0].name)!.dailyTime).toBe("05:45");
    expect((await db.pool.query("SELECT max_running FROM runner_control")).rows[0].max_running).toBe(2);
    // updated_at moves only for what changed: the same file again (every start syncs it) edits nothing
    const stamps = async () => (await db.pool.query("SELECT s.name, s.updated_at, o.updated_at AS options_at, f.updated_at AS fleet_at FROM services s JOIN service_run_options o ON o.service_id = s.id JOIN service_fleet_options f ON f.service_id = s.id ORDER BY s.name")).rows;
    const before = await stamps();
    expect((await syncServices(db.pool, file)).changes).toEqual([]);
    expect(await stamps()).toEqual(before);
    file.services[1].forceArgument = "--force-all";
    await syncServices(db.pool, file);
    const moved = (await stamps()).filter((row, i) => row.options_at.getTime() !== before[i].options_at.getTime() || row.updated_at.getTime() !== before[i].updated_at.getTime());
    expect(moved.map((row) => row.name)).toEqual([file.services[1].name]);
  });

  it("reports and audits a fleet limit the file changes: a file without maxRunning lifts the fleet's limit", async () => {
    const file = loadServicesFile(demoFile);
    expect((await syncServices(db.pool, file)).limits).toEqual([]);
    const lifted = await syncServices(db.pool, { ...file, maxRunning: null, concurrencyGroups: { demo_db: 3 } }, { source: "/tmp/one-service.json" });
    expect(lifted.limits).toEqual([
      { limit: "concurrency group demo_db", from: 2, to: 3 },
      { limit: "maxRunning", from: 2, to: null },
    ]);
    expect(describeLimits(lifted.limits)).toEqual(["concurrency group demo_db: 2 → 3", "maxRunning: 2 → no limit"]);
    const audit = await db.pool.query("SELECT actor, target_type, reason, result FROM audit_log WHERE action = 'fleet.sync' ORDER BY id DESC LIMIT 1");
    expect(audit.rows).toEqual([
      { actor: "system:services-file", target_type: "fleet", reason: "services file /tmp/one-service.json", result: { changed: { maxRunning: { from: 2, to: null }, "concurrency group demo_db": { from: 2, to: 3 } } } },
    ]);
    await syncServices(db.pool, file);
  });

  it("names the services a file leaves out that still run on their schedule (a shop's own file on a home that ran the demo)", async () => {
    const demo = loadServicesFile(demoFile);
    await syncServices(db.pool, demo);
    const shop = { ...demo, services: demo.services.slice(0, 1).map((s) => ({ ...s, name: "shop-ok" })) };
    const names = demo.services.map((s) => s.name).sort();
    expect((await syncServices(db.pool, shop)).notInFile).toEqual(names);
    await db.pool.query("UPDATE services SET paused = true WHERE name = $1", [names[0]]);
    await db.pool.query("UPDATE services SET enabled = false WHERE name = $1", [names[1]]);
    const left = (await syncServices(db.pool, shop)).notInFile;
    expect(left).toEqual(names.slice(2));
    expect(describeNotInFile(left, "shop.json")).toBe(
      `22 services are not in shop.json and still run on their schedule: ${names.slice(2, 12).join(", ")} and 12 more. Pause them with \`switchyard services pause NAME...\`, or list each in the file with "enabled": false.`,
    );
    expect(describeNotInFile([], "shop.json")).toBeNull();
  });

  it("start with a shop's own file disables the demo services it leaves out, cancels their queued runs and resolves their incidents, audited, once; a sync disables nothing", async () => {
    const fresh = await createTestDatabase();
    try {
      const demo = loadServicesFile(demoFile);
      await syncServicesFile(fresh.pool, demo, { actor: "system:runner", source: "demo.json" });
      const names = demo.services.map((s) => s.name).sort();
      // the demo file itself disables nothing
      expect(await retireDemoServices(fresh.pool, demo, "demo.json")).toEqual({ services: [], resolvedIncidents: 0 });
      // two queued runs and a running one of the first demo service
      const first = (await fresh.pool.query("SELECT id FROM services WHERE name = $1", [names[0]])).rows[0].id;
      for (const [day, status] of [["2026-12-01", "queued"], ["2026-12-02", "queued"], ["2026-12-03", "running"]]) {
        await fresh.pool.query("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status) VALUES ($1, 'daily', $2::date, $2::date, 'scheduled', $3)", [first, day, status]);
      }
      await saveService(fresh.pool, { ...demo.services[0], name: "legacy-etl", dailyCommand: "python3 -m legacy {day}" }, "api");
      // an open incident of the first demo service, and one of the hand-made service
      const legacy = (await fresh.pool.query("SELECT id FROM services WHERE name = 'legacy-etl'")).rows[0].id;
      for (const [key, service] of [["run_failed:demo", first], ["run_failed:legacy", legacy]]) {
        await fresh.pool.query(
          `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, summary, status, opened_at)
           VALUES ($1, 'run_failed', 'critical', $2, 'daily', '2026-12-01', '2026-12-01', 'run failed', 'open', now())`,
          [key, service],
        );
      }
      const shop = { ...demo, services: [{ ...demo.services[0], name: "shop-ok", dailyCommand: "python3 -m luigi --module shop AllDaily --day {day}" }] };
      // a file synced alongside the others (services sync, a second runner) leaves them alone
      const alongside = await syncServicesFile(fresh.pool, shop, { actor: "system:runner", source: "shop.json" });
      expect(alongside.notInFile).toEqual([...names, "legacy-etl"].sort());
      expect((await fresh.pool.query("SELECT count(*)::int AS n FROM services WHERE enabled")).rows[0].n).toBe(26);
      // switchyard start with it: the demo's services go, the hand-made one stays
      const retired = await retireDemoServices(fresh.pool, shop, "shop.json");
      expect(retired.services.map((r) => r.service)).toEqual(names);
      expect(retired.services[0]).toEqual({ service: names[0], cancelledRuns: 2 });
      expect(retired.resolvedIncidents).toBe(1);
      const incidents = await fresh.pool.query("SELECT key, status::text, resolved_by FROM alert_incidents ORDER BY key");
      expect(incidents.rows).toEqual([
        { key: "run_failed:demo", status: "resolved", resolved_by: "system:start" },
        { key: "run_failed:legacy", status: "open", resolved_by: null },
      ]);
      const resolvedAudit = await fresh.pool.query("SELECT actor, outcome, reason FROM audit_log WHERE action = 'incident.resolve'");
      expect(resolvedAudit.rows).toEqual([{ actor: "system:start", outcome: "ok", reason: "its service is a disabled demo fleet service, not in shop.json" }]);
      expect((await syncServicesFile(fresh.pool, shop, { actor: "system:runner", source: "shop.json" })).notInFile).toEqual(["legacy-etl"]);
      const runs = await fresh.pool.query("SELECT status::text, error FROM runs WHERE service_id = $1 ORDER BY period_date", [first]);
      expect(runs.rows.map((r) => r.status)).toEqual(["cancelled", "cancelled", "running"]);
      expect(runs.rows[0].error).toBe("cancelled by system:start before it started: its service was disabled");
      const audit = await fresh.pool.query("SELECT actor, target_id, reason, result FROM audit_log WHERE action = 'service.update' ORDER BY target_id");
      expect(audit.rows).toHaveLength(24);
      expect(audit.rows[0]).toMatchObject({
        actor: "system:start",
        target_id: names[0],
        reason: "a demo fleet service, not in shop.json: disabled when that file took over",
        result: { changed: { enabled: { from: true, to: false } }, retired: true, cancelledRuns: 2 },
      });
      expect(describeRetired(retired, "shop.json")).toMatch(/^disabled the 24 demo fleet services that shop\.json does not name, and cancelled their 2 queued runs and resolved their 1 open incident: /);
      // someone wants one back: enabled by hand, the next start leaves it enabled
      await fresh.pool.query("UPDATE services SET enabled = true WHERE name = $1", [names[3]]);
      // an incident opened after the retirement (a run that was running then failed) goes at the next start
      const second = (await fresh.pool.query("SELECT id FROM services WHERE name = $1", [names[1]])).rows[0].id;
      await fresh.pool.query(
        `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, summary, status, opened_at)
         VALUES ('run_failed:later', 'run_failed', 'critical', $1, 'daily', '2026-12-03', '2026-12-03', 'run failed', 'open', now())`,
        [second],
      );
      const later = await retireDemoServices(fresh.pool, shop, "shop.json");
      expect(later).toEqual({ services: [], resolvedIncidents: 1 });
      expect(describeRetired(later, "shop.json")).toBe("resolved the 1 open incident of disabled demo fleet services that shop.json does not name");
      expect(await retireDemoServices(fresh.pool, shop, "shop.json")).toEqual({ services: [], resolvedIncidents: 0 });
    } finally {
      await fresh.drop();
    }
  });
});
