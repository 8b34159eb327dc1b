import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { openApiDocument } from "@/lib/control/openapi";
import { repoRoot } from "@/lib/paths";
import { addService } from "@/lib/runner/testing/runner-harness";
import { ensureDashboardBuild } from "@/lib/testing/build";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";

// `switchyard incidents` as a script would use it: the real CLI process against the real web app
// (production build) on a real database. Exit codes 0 done, 1 failed, 2 usage, 3 refused.

let db: TestDatabase;
let web: Proc;
let url: string;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

beforeAll(async () => {
  await ensureDashboardBuild();
  db = await createTestDatabase();
  const service = await addService(db.pool, { name: "acme", dailyCommand: "true" });
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "cli-test")).token;
  }
  const insert = async (key: string, rule: string, severity: string, status: string, serviceId: number | null) =>
    (
      await db.pool.query(
        `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_date, summary, status, opened_at, resolved_at, resolved_by)
         VALUES ($1, $2, $3, $4, CASE WHEN $4::int IS NULL THEN NULL ELSE 'daily'::run_kind END, CASE WHEN $4::int IS NULL THEN NULL ELSE date '2026-03-10' END,
                 $2 || ' summary', $5, now() - interval '90 minutes', CASE WHEN $5 = 'resolved' THEN now() END, CASE WHEN $5 = 'resolved' THEN 'alerts' END) RETURNING id`,
        [key, rule, severity, serviceId, status],
      )
    ).rows[0].id as number;
  ids.failed = await insert("run_failed:acme", "run_failed", "critical", "open", service);
  ids.stale = await insert("runner_stale:r1", "runner_stale", "warning", "open", null);
  // what that incident says, so that the web's own alert loop keeps it open
  await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
  await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) SELECT 'r1', id, 1, now() - interval '10 minutes' FROM hosts");
  ids.old = await insert("sla_miss:acme", "sla_miss", "critical", "resolved", service);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.url, SCHEDULER_URL: "http://127.0.0.1:9" });
  await waitForUrl(`${url}/api/v1/health`, web);
}, 300_000);

afterAll(async () => {
  await web?.stop();
  await db?.drop();
});

type Result = { code: number; stdout: string; stderr: string };

function cli(args: string[], role?: string): Promise<Result> {
  const env = { ...process.env, SWITCHYARD_URL: url, SWITCHYARD_TOKEN: role ? tokens[role] : "" };
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, "bin", "switchyard.mjs"), ...args], { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("switchyard incidents", { timeout: 120_000 }, () => {
  it("is listed in switchyard --help and in the OpenAPI document", async () => {
    expect((await cli(["--help"])).stdout).toMatch(/^ {2}incidents /m);
    expect(Object.keys(openApiDocument().paths)).toEqual(expect.arrayContaining(["/api/v1/incidents", "/api/v1/incidents/{id}/{action}"]));
  });

  it("list shows the open incidents as a table or JSON, --all the resolved ones too", async () => {
    const table = await cli(["incidents", "list"], "viewer");
    expect(table).toMatchObject({ code: 0, stderr: "" });
    expect(table.stdout).toMatch(new RegExp(`^${ids.failed}\\s+open\\s+critical\\s+run_failed\\s+acme\\s+2026-03-10\\s+1h30m\\s+-\\s+run_failed summary$`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^${ids.stale}\\s+open\\s+warning\\s+runner_stale\\s+-`, "m"));
    expect(table.stdout).not.toContain("sla_miss");
    const json = JSON.parse((await cli(["incidents", "list", "--all", "--json"], "viewer")).stdout);
    expect(json.incidents.map((i: { id: number; status: string }) => [i.id, i.status])).toEqual([[ids.failed, "open"], [ids.stale, "open"], [ids.old, "resolved"]]);
    expect(json.incidents[0]).toMatchObject({ rule: "run_failed", serviceName: "acme", kind: "daily", periodDate: "2026-03-10", acknowledgedBy: null });
  });

  it("list --service shows one service's incidents; an unknown or malformed name is refused with what was wrong", async () => {
    const acme = JSON.parse((await cli(["incidents", "list", "--service", "acme", "--all", "--json"], "viewer")).stdout);
    expect(acme.incidents.map((i: { id: number }) => i.id)).toEqual([ids.failed, ids.old]);
    const open = await cli(["incidents", "list", "--service", "acme"], "viewer");
    expect(open.code).toBe(0);
    expect(open.stdout).toContain("run_failed summary");
    expect(open.stdout).not.toContain("runner_stale");
    const unknown = await cli(["incidents", "list", "--service", "nobody"], "viewer");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/service "nobody"/);
    const malformed = await cli(["incidents", "list", "--service", "Not A Name"], "viewer");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/service/);
  });

  it("list --all pages through resolved incidents with --before, and says how to get the next page", async () => {
    const page = await cli(["incidents", "list", "--all", "--limit", "1"], "viewer");
    expect(page.code).toBe(0);
    expect(page.stdout).toContain(`older: switchyard incidents list --all --before ${ids.old} --limit 1`);
    const next = await cli(["incidents", "list", "--all", "--before", String(ids.old)], "viewer");
    expect(next).toMatchObject({ code: 0, stdout: "no older resolved incidents\n" });
    const withoutAll = await cli(["incidents", "list", "--before", String(ids.old)], "viewer");
    expect(withoutAll.code).toBe(2);
    expect(withoutAll.stderr).toMatch(/use it with status=all/);
    expect((await cli(["incidents", "list", "--all", "--before", "x"], "viewer")).code).toBe(2);
  });

  it("ack and resolve are audited as the token; a second ack and a viewer are refused (3), a bad id is usage (2)", async () => {
    const ack = await cli(["incidents", "ack", String(ids.failed), "--reason", "on it"], "operator");
    expect(ack).toMatchObject({ code: 0, stdout: `incident ${ids.failed} (run_failed): acknowledged by token:cli-test (operator@example.com)\n` });
    const audit = await db.pool.query("SELECT actor, action, reason FROM audit_log WHERE action = 'incident.acknowledge' AND outcome = 'ok'");
    expect(audit.rows).toEqual([{ actor: "token:cli-test (operator@example.com)", action: "incident.acknowledge", reason: "on it" }]);
    const again = await cli(["incidents", "ack", String(ids.failed)], "operator");
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already acknowledged/);
    expect((await cli(["incidents", "ack", String(ids.stale)], "viewer")).code).toBe(3);
    expect((await cli(["incidents", "ack", String(ids.stale)])).code).toBe(3); // no token

    const resolved = await cli(["incidents", "resolve", String(ids.stale), "--reason", "restarted it", "--json"], "operator");
    expect(resolved.code).toBe(0);
    expect(JSON.parse(resolved.stdout).incident).toMatchObject({ id: ids.stale, status: "resolved" });
    expect((await cli(["incidents", "resolve", String(ids.stale)], "operator")).code).toBe(3);
    expect((await cli(["incidents", "resolve", "999999"], "operator")).code).toBe(2);
    const bad = await cli(["incidents", "ack", "abc"], "operator");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"abc" is not an incident id/);
    expect((await cli(["incidents", "frobnicate"], "operator")).code).toBe(2);
  });
});
