import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

// Runner benchmark: two `switchyard runner` processes share one queue; runs of a trivial command
// (`true`, so the figure is the runner's overhead, not the work) are queued at a steady rate,
// then in one burst. Queue-to-launch latency is runs.queued_at → run_runtime.launched_at (the
// moment the child process was started, written by the runner), so both ends are PostgreSQL's
// clock.
//
//   node --import tsx bench/runner/run.ts [--rate 50] [--seconds 20] [--burst 1000]
//
// Uses DATABASE_URL if set (a fresh database is created in it), else an embedded PostgreSQL.

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i === -1 ? fallback : process.argv[i + 1]);
};
const RATE = arg("rate", "50");
const SECONDS = arg("seconds", "20");
const BURST = arg("burst", "1000");

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  const { applyMigrations } = await import("@/lib/db/migrate");
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded = async () => {};
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
    const { createLogger } = await import("@/lib/log/logger");
    const { freePort } = await import("@/lib/testing/free-port");
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "runner-bench-"));
    fs.chmodSync(home, 0o755);
    const db = await startEmbeddedPostgres({ home, port: await freePort(), logger: createLogger("bench-db", "warn"), database: "postgres" });
    adminUrl = db.url;
    stopEmbedded = async () => {
      await db.stop();
      fs.rmSync(home, { recursive: true, force: true });
    };
  }
  const name = `runner_bench_${process.pid}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  await applyMigrations(u.toString());
  return {
    url: u.toString(),
    async stop() {
      const c = new pg.Client(adminUrl);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopEmbedded();
    },
  };
}

function startRunner(url: string, logDir: string): ChildProcess {
  return spawn(process.execPath, [path.join(root, "bin/switchyard.mjs"), "runner", "--no-trigger", "--max-running", "32", "--log-dir", logDir], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn", SWITCHYARD_PARENT_PID: "" },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function waitAllDone(pool: pg.Pool, ids: number[]) {
  for (;;) {
    const r = await pool.query("SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status IN ('done', 'failed')", [ids]);
    if (r.rows[0].n === ids.length) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function measure(pool: pg.Pool, label: string, ids: number[]) {
  await waitAllDone(pool, ids);
  const r = await pool.query(
    `SELECT extract(epoch FROM rr.launched_at - r.queued_at) * 1000 AS ms, extract(epoch FROM rr.launched_at) AS at, r.runner_id, r.status
       FROM runs r JOIN run_runtime rr ON rr.run_id = r.id WHERE r.id = ANY($1)`,
    [ids],
  );
  const ms = r.rows.map((x) => Number(x.ms));
  const at = r.rows.map((x) => Number(x.at));
  const span = Math.max(...at) - Math.min(...at);
  const byRunner = new Map<string, number>();
  for (const x of r.rows) byRunner.set(x.runner_id, (byRunner.get(x.runner_id) ?? 0) + 1);
  const failed = r.rows.filter((x) => x.status !== "done").length;
  console.log(
    `${label}: ${ids.length} runs, queue-to-launch p50 ${pct(ms, 50).toFixed(0)} ms, p99 ${pct(ms, 99).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms; ` +
      `${(ids.length / span).toFixed(1)} launches/s over ${span.toFixed(1)} s; per runner ${[...byRunner.values()].join(" / ")}; not done ${failed}`,
  );
}

const db = await database();
const { createPool } = await import("@/lib/db/pool");
const pool = createPool(db.url, { max: 4 });
const service = (
  await pool.query(`INSERT INTO services (name, display_name, daily_command) VALUES ('bench', 'Bench', 'true') RETURNING id`)
).rows[0].id as number;
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-bench-logs-"));
const runners = [startRunner(db.url, logDir), startRunner(db.url, logDir)];
// Both runners up (registered and heartbeating) before the clock starts.
for (let up = 0; up < 2; await new Promise((r) => setTimeout(r, 200))) {
  up = (await pool.query("SELECT count(*)::int AS n FROM runners WHERE stopped_at IS NULL AND heartbeat_at > now() - interval '2 seconds'")).rows[0].n;
}
await new Promise((r) => setTimeout(r, 1000));

let day = 0;
const enqueue = async (n: number): Promise<number[]> => {
  const r = await pool.query(
    `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, queue_priority, requested_by)
     SELECT $1, 'daily', d, d::date, 'manual', 0, 'bench' FROM generate_series($2::int, $3::int) AS i, LATERAL (SELECT timestamptz '2000-01-01' + i * interval '1 day' AS d) x
     RETURNING id`,
    [service, day, day + n - 1],
  );
  day += n;
  return r.rows.map((x) => Number(x.id));
};

console.log(`two runners, command \`true\`; steady ${RATE} runs/s for ${SECONDS} s, then a burst of ${BURST}`);
const steady: number[] = [];
const t0 = performance.now();
for (let i = 0; i < RATE * SECONDS; i++) {
  const due = t0 + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  steady.push(...(await enqueue(1)));
}
await measure(pool, `steady ${RATE}/s`, steady);
await measure(pool, `burst`, await enqueue(BURST));

for (const r of runners) r.kill("SIGTERM");
await Promise.all(runners.map((r) => new Promise((res) => r.once("exit", res))));
await pool.end();
await db.stop();
fs.rmSync(logDir, { recursive: true, force: true });
