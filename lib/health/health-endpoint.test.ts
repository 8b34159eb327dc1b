import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";
import { ensureDashboardBuild } from "@/lib/testing/build";

// The real web server (`switchyard web`, the production build) on its own PostgreSQL, which the
// test stops and starts again: health must say 503 and since when while the database is gone, 200
// once it is back, with one WARN line for the outage and one INFO line for the return. The web
// connects as the least-privilege app role, as under `switchyard start`.

let home: string;
let db: EmbeddedPostgres;
let web: Proc;
let base: string;
let pgPort: number;

beforeAll(async () => {
  await ensureDashboardBuild();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-health-"));
  fs.chmodSync(home, 0o755);
  pgPort = await freePort();
  db = await startEmbeddedPostgres({ home, port: pgPort, logger: createLogger("test", "warn") });
  await applyMigrations(db.url);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.appUrl, SCHEDULER_URL: "http://127.0.0.1:9" });
  await waitForUrl(`${base}/api/v1/health`, web);
}, 180_000);

afterAll(async () => {
  await web?.stop();
  await db?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe("GET /api/v1/health", () => {
  it("answers 200 with every part's status and latency while the database is up", async () => {
    const res = await fetch(`${base}/api/v1/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.parts.database).toMatchObject({ status: "ok" });
    expect(body.parts.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.parts.web.status).toBe("ok");
    // Nothing listens on port 9: the scheduler is reported down, which degrades but does not fail health.
    expect(body.parts.scheduler.status).toBe("down");
    expect(body.parts.runner.status).toBe("down");
    expect(body.status).toBe("degraded");
  });

  it("answers 503 naming the database when it is stopped, and recovers when it is back", async () => {
    await db.stop();
    const down = await fetch(`${base}/api/v1/health`);
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body.status).toBe("down");
    expect(body.parts.database.status).toBe("down");
    expect(body.parts.database.detail).toMatch(/^database down since \d{4}-\d\d-\d\dT/);
    expect(body.parts.runner.status).toBe("unknown");
    const again = await (await fetch(`${base}/api/v1/health`)).json();
    expect(again.parts.database.detail.slice(0, 45)).toBe(body.parts.database.detail.slice(0, 45));

    db = await startEmbeddedPostgres({ home, port: pgPort, logger: createLogger("test", "warn") });
    const up = await fetch(`${base}/api/v1/health`);
    expect(up.status).toBe(200);
    const log = web.output();
    expect(log.match(/WARN .*the database is unreachable/g)).toHaveLength(1);
    expect(log.match(/INFO .*the database is back/g)).toHaveLength(1);
    expect(log).not.toMatch(/ERROR/);
  });
});
