import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { ensureDashboardBuild } from "@/lib/testing/build";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";

// The dashboard's JSON routes and pages, served by the real production build (`switchyard web`)
// on a test database: who may read them, what they answer, and how bad input is refused.
// Callers authenticate with an API token (sessions are the auth layer's, not yet available).

let db: TestDatabase;
let web: Proc;
let base: string;
let token: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  await ensureDashboardBuild();
  db = await createTestDatabase();
  const svc = await seedService(db.pool, { name: "acme-corp" });
  const today = new Date().toISOString().slice(0, 10);
  ids.run = await seedRun(db.pool, { serviceId: svc, date: today, status: "running", startedAt: new Date().toISOString() });
  const viewer = await createUser(db.pool, { email: "viewer@example.com", name: "Viewer", role: "viewer" });
  token = (await createApiToken(db.pool, viewer, "dashboard test")).token;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.url, SCHEDULER_URL: "http://127.0.0.1:9" });
  await waitForUrl(`${base}/api/v1/health`, web);
}, 240_000);

afterAll(async () => {
  await web?.stop();
  await db?.drop();
});

const get = (path: string, auth = true) => fetch(`${base}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {}, redirect: "manual" });

describe("dashboard JSON routes", () => {
  it("refuse a caller who is not signed in", async () => {
    const res = await get("/api/v1/dashboard/home", false);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  it("serve the home read model to a viewer, with the running run in today's cell", async () => {
    const res = await get("/api/v1/dashboard/home");
    expect(res.status).toBe(200);
    const body = await res.json();
    const row = body.grid.rows.find((r: { service: { name: string } }) => r.service.name === "acme-corp");
    expect(row.runIds).toContain(ids.run);
    expect(row.cells[row.runIds.indexOf(ids.run)]).toBe("R");
    expect(body.pulse.running).toBe(1);
  });

  it("serve a run, and its log", async () => {
    expect((await (await get(`/api/v1/dashboard/runs/${ids.run}`)).json()).run.serviceName).toBe("acme-corp");
    expect(await (await get(`/api/v1/dashboard/runs/${ids.run}/log`)).json()).toMatchObject({ missing: true, running: true });
  });

  it("answer 400 for malformed input and 404 for what does not exist", async () => {
    const bad = await get("/api/v1/dashboard/daily/2026-02-30");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_input");
    expect((await get("/api/v1/dashboard/runs/not-a-number")).status).toBe(400);
    expect((await get("/api/v1/dashboard/runs/987654321")).status).toBe(404);
    expect((await get("/api/v1/dashboard/services/no-such-service")).status).toBe(404);
  });
});

describe("task actions and the live graph", () => {
  it("refuse a viewer's task action (operator only) before asking the scheduler", async () => {
    const res = await fetch(`${base}/api/v1/tasks/AllDailyTask_x_0000000000/forgive-failures`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });

  it("answer a run's graph with the scheduler's state, even when it is down", async () => {
    const res = await get(`/api/v1/dashboard/runs/${ids.run}/graph`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: expect.stringMatching(/^(no-root|unreachable)$/) });
  });
});

describe("dashboard pages", () => {
  it.each(["/", "/daily", `/daily/2026-11-22`, "/hourly", "/services", "/services/acme-corp", `/runs/1`, "/tasks", "/audit"])(
    "%s sends a visitor who is not signed in to the sign-in page",
    async (path) => {
      const res = await get(path, false);
      expect([303, 307]).toContain(res.status);
      expect(res.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    },
  );
});
