import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { addService } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The control routes' handlers called with real Request objects on a real database: who may
// call them, 400 with the field errors for bad input, and the answers the dashboard relies on.
// (Over HTTP they need a production build of the app, which these tests do not make.)

let db: TestDatabase;
const tokens: Record<string, string> = {};
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: Record<string, Record<string, Handler>>;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url; // getPool() reads it on first use
  await addService(db.pool, { name: "acme", dailyCommand: "true" });
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "test")).token;
  }
  routes = {
    runs: await import("@/app/api/v1/runs/route"),
    run: await import("@/app/api/v1/runs/[id]/route"),
    cancel: await import("@/app/api/v1/runs/[id]/cancel/route"),
    backfill: await import("@/app/api/v1/backfill/route"),
    service: await import("@/app/api/v1/services/[name]/route"),
    pause: await import("@/app/api/v1/runner/pause/route"),
    openapi: await import("@/app/api/v1/openapi.json/route"),
  } as unknown as Record<string, Record<string, Handler>>;
});
afterAll(async () => {
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
});

async function call(route: string, method: string, path: string, options: { role?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const request = new NextRequest(`http://127.0.0.1${path}`, {
    method,
    headers: { ...(options.role ? { authorization: `Bearer ${tokens[options.role]}` } : {}), "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await routes[route][method](request, { params: Promise.resolve(options.params ?? {}) });
  return { status: response.status, body: await response.json() };
}

describe("control routes", () => {
  it("need a token, and the operator role for actions", async () => {
    expect((await call("runs", "GET", "/api/v1/runs")).status).toBe(401);
    expect((await call("runs", "POST", "/api/v1/runs", { role: "viewer", body: { service: "acme", kind: "daily", period: "2026-01-01" } })).status).toBe(403);
    expect((await call("service", "PATCH", "/api/v1/services/acme", { role: "operator", params: { name: "acme" }, body: { enabled: false, reason: "x" } })).status).toBe(403);
  });

  it("answer 400 with the field errors for bad input", async () => {
    const bad = await call("runs", "POST", "/api/v1/runs", { role: "operator", body: { service: "acme", kind: "weekly", period: "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["kind", "period"]);
    expect((await call("runs", "GET", "/api/v1/runs?limit=9999", { role: "viewer" })).body.error.details[0].path).toBe("limit");
    expect((await call("run", "GET", "/api/v1/runs/abc", { role: "viewer", params: { id: "abc" } })).status).toBe(400);
    // text PostgreSQL cannot store: NUL failed the insert with a bare 500 before
    for (const [reason, what] of [["a\u0000b", "NUL"], ["half a pair \ud800", "lone UTF-16 surrogate"]]) {
      const refused = await call("runs", "POST", "/api/v1/runs", { role: "operator", body: { service: "acme", kind: "daily", period: "2026-01-02", reason } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(what);
    }
  });

  it("re-run twice with one requestKey launches once; list, inspect, cancel", async () => {
    const body = { service: "acme", kind: "daily", period: "2026-01-01", requestKey: "k-1", reason: "check" };
    const first = await call("runs", "POST", "/api/v1/runs", { role: "operator", body });
    const second = await call("runs", "POST", "/api/v1/runs", { role: "operator", body });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    expect(second.body).toMatchObject({ created: false, run: { id: first.body.run.id } });
    const list = await call("runs", "GET", "/api/v1/runs?service=acme&status=queued", { role: "viewer" });
    expect(list.body.runs.map((r: { id: number }) => r.id)).toEqual([first.body.run.id]);
    const id = String(first.body.run.id);
    expect((await call("run", "GET", `/api/v1/runs/${id}`, { role: "viewer", params: { id } })).body.run.requestedBy).toBe("token:test (operator@example.com)");
    const cancelled = await call("cancel", "POST", `/api/v1/runs/${id}/cancel`, { role: "operator", params: { id }, body: { reason: "oops" } });
    expect(cancelled.body).toMatchObject({ cancel: "cancelled", run: { status: "cancelled" } });
    expect((await call("cancel", "POST", `/api/v1/runs/${id}/cancel`, { role: "operator", params: { id } })).status).toBe(409);
  });

  it("backfill dry run lists periods; pause; service edit; the OpenAPI document", async () => {
    const dry = await call("backfill", "POST", "/api/v1/backfill", { role: "operator", body: { service: "acme", kind: "daily", from: "2026-01-01", to: "2026-01-03", dryRun: true } });
    expect(dry.body).toEqual({ periods: ["2026-01-01", "2026-01-02", "2026-01-03"], runs: [], alreadyActive: [] });
    expect((await call("pause", "POST", "/api/v1/runner/pause", { role: "operator", body: { reason: "maintenance" } })).body).toEqual({ paused: true, changed: true });
    const edited = await call("service", "PATCH", "/api/v1/services/acme", { role: "admin", params: { name: "acme" }, body: { dailyTime: "05:00", reason: "later" } });
    expect(edited.body.service.dailyTime).toBe("05:00");
    const badEdit = await call("service", "PATCH", "/api/v1/services/acme", { role: "admin", params: { name: "acme" }, body: { timeZone: "Nowhere/Land", reason: "x" } });
    expect(badEdit.body.error.details[0].path).toBe("timeZone");
    const doc = await call("openapi", "GET", "/api/v1/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
  });
});
