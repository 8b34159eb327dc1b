import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Acknowledge and resolve through the real route handler on a real database: roles, a closed
// list of actions, one winner for two clicks, the audit entry, and the resolve message queued.

let db: TestDatabase;
const tokens: Record<string, string> = {};
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let POST: Handler;
let incidentId = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ALERT_CHANNELS = JSON.stringify([{ name: "hook", type: "webhook", url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef0123" }]);
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "test")).token;
  }
  const r = await db.pool.query(
    `INSERT INTO alert_incidents (key, rule, severity, subject, summary, opened_at) VALUES ('stuck_queue', 'stuck_queue', 'critical', 'queue', 'the queue is stuck', now()) RETURNING id`,
  );
  incidentId = r.rows[0].id;
  // the open message went to "hook", so the resolve message follows it there
  await db.pool.query("INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, next_attempt_at) VALUES ($1, 1, 'open', 'hook', '{}', 'sent', now())", [incidentId]);
  POST = ((await import("@/app/api/v1/incidents/[id]/[action]/route")) as unknown as { POST: Handler }).POST;
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALERT_CHANNELS;
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
});

async function call(role: string, id: number | string, action: string, body: unknown = {}) {
  const request = new NextRequest(`http://127.0.0.1/api/v1/incidents/${id}/${action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await POST(request, { params: Promise.resolve({ id: String(id), action }) });
  return { status: response.status, body: await response.json() };
}

describe("incident routes", () => {
  it("refuses viewers and unknown actions", async () => {
    expect((await call("viewer", incidentId, "acknowledge")).status).toBe(403);
    const bad = await call("operator", incidentId, "delete");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("acknowledge, resolve");
    expect((await call("operator", 999999, "acknowledge")).status).toBe(404);
  });

  it("acknowledges once, resolves once, audits both and queues the resolve message", async () => {
    const ack = await call("operator", incidentId, "acknowledge", { reason: "looking" });
    expect(ack.status).toBe(200);
    expect(ack.body.incident.acknowledged_by).toContain("operator");
    expect((await call("operator", incidentId, "acknowledge")).status).toBe(409);
    const [a, b] = await Promise.all([call("operator", incidentId, "resolve"), call("operator", incidentId, "resolve")]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const audit = await db.pool.query("SELECT action, outcome, reason FROM audit_log WHERE target_type = 'incident' AND target_id = $1 ORDER BY id", [String(incidentId)]);
    expect(audit.rows).toEqual([
      { action: "incident.acknowledge", outcome: "ok", reason: "looking" },
      { action: "incident.acknowledge", outcome: "denied", reason: null },
      expect.objectContaining({ action: "incident.resolve" }),
      expect.objectContaining({ action: "incident.resolve" }),
    ]);
    const outbox = await db.pool.query("SELECT channel, event, status FROM alert_outbox WHERE event = 'resolve'");
    expect(outbox.rows).toEqual([{ channel: "hook", event: "resolve", status: "pending" }]);
  });
});
