import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// POST /api/v1/services/{name}/silence and /unsilence through the real route handlers on a real
// database: roles, the minutes checked with a message that says what was wrong, the audit rows.

let db: TestDatabase;
const tokens: Record<string, string> = {};
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const handlers: Record<string, Handler> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  await db.pool.query("INSERT INTO services (name, display_name, daily_command) VALUES ('acme', 'Acme', 'true')");
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "test")).token;
  }
  handlers.silence = ((await import("@/app/api/v1/services/[name]/silence/route")) as unknown as { POST: Handler }).POST;
  handlers.unsilence = ((await import("@/app/api/v1/services/[name]/unsilence/route")) as unknown as { POST: Handler }).POST;
});
afterAll(async () => {
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
});

async function call(role: string, action: "silence" | "unsilence", name: string, body: unknown) {
  const request = new NextRequest(`http://127.0.0.1/api/v1/services/${name}/${action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await handlers[action](request, { params: Promise.resolve({ name }) });
  return { status: response.status, body: await response.json() };
}

describe("silence routes", () => {
  it("refuses viewers, bad minutes with what was wrong, and unknown services", async () => {
    expect((await call("viewer", "silence", "acme", { minutes: 60 })).status).toBe(403);
    const missing = await call("operator", "silence", "acme", {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("expected minutes: a whole number from 1 to 10080");
    const long = await call("operator", "silence", "acme", { minutes: 20_000 });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain("at most 10080 minutes");
    expect((await call("operator", "silence", "acme", { minutes: "60" })).status).toBe(400);
    expect((await call("operator", "silence", "nope", { minutes: 60 })).status).toBe(404);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM alert_silences")).rows[0].n).toBe(0);
  });

  it("silences for the minutes asked, ends it once, and audits both", async () => {
    const before = Date.now();
    const ok = await call("operator", "silence", "acme", { minutes: 45, reason: "deploy" });
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body.silence.endsAt) - before).toBeGreaterThanOrEqual(45 * 60_000 - 1_000);
    expect(ok.body.silence).toMatchObject({ reason: "deploy", createdBy: "token:test (operator@example.com)" });
    expect((await call("operator", "unsilence", "acme", {})).body).toMatchObject({ changed: true, released: 0 });
    expect((await call("operator", "unsilence", "acme", {})).body).toMatchObject({ changed: false });
    const audit = await db.pool.query("SELECT action, outcome FROM audit_log WHERE target_id = 'acme' ORDER BY id");
    expect(audit.rows.filter((r) => r.outcome === "ok").map((r) => r.action)).toEqual(["service.silence", "service.unsilence", "service.unsilence"]);
  });
});
