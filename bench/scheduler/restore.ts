import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

// Memory and restore at a size the announce phase takes too long to reach on a shared 2-core
// machine: N tasks in the benchmark's shape (chains of 10, 4 workers, the same document the
// scheduler writes) are written straight into scheduler_tasks; then the daemon is started on the
// empty-of-load process (idle RSS), on the seeded database (restore time, RSS per task over
// idle), and a standby takes over from it after a SIGKILL (takeover time).
//
//   node --import tsx bench/scheduler/restore.ts [--tasks 500000]

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const i = process.argv.indexOf("--tasks");
const TASKS = i === -1 ? 500_000 : Number(process.argv[i + 1]);
const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

const home = fs.mkdtempSync(path.join(os.tmpdir(), "sched-restore-"));
fs.chmodSync(home, 0o755);
const logger = createLogger("bench-restore", "warn");
const db = await startEmbeddedPostgres({ home, port: await freePort(), logger, database: "postgres" });
await applyMigrations(db.url);

async function daemon(probe: "/" | "/healthz/ready") {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/scheduler/daemon.ts"), "--port", String(port)], { cwd: root, env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" }, stdio: "inherit" });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const exited = new Promise((r) => child.once("exit", r));
  for (;;) {
    const ok = probe === "/" ? await fetch(url + "/", { method: "HEAD" }).then((r) => r.status === 204, () => false) : await fetch(url + probe).then((r) => r.status === 503, () => false);
    if (ok) break;
    await sleep(20);
  }
  const stop = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    await exited;
  };
  return { url, pid: child.pid!, seconds: (performance.now() - started) / 1000, stop };
}
const restoreSeconds = async (url: string) => Number(/^switchyard_scheduler_restore_seconds (\S+)/m.exec(await fetch(url + "/metrics").then((r) => r.text()))?.[1]);

const empty = await daemon("/");
await sleep(1000);
const idle = rssMiB(empty.pid);
await empty.stop("SIGTERM");

const client = new pg.Client(db.url);
await client.connect();
const seeded = performance.now();
const worker = (c: string) => `'Worker(salt=bench' || ${c} || ', workers=1, host=bench, username=bench, pid=' || ${c} || ')'`;
await client.query(`INSERT INTO scheduler_workers (worker_id, last_active, disabled, data)
  SELECT ${worker("w")}, extract(epoch from now()), false, json_build_object('seq', w, 'reference', null, 'lastGetWork', null, 'started', extract(epoch from now()), 'info', '{}'::json, 'rpcMessages', '[]'::json) FROM generate_series(0, 3) w`);
await client.query(`INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, worker_running, first_added, last_updated, history_id, data)
  SELECT 'BenchStep_' || (g / 10) || '_' || (g % 10), g, 'PENDING', 'BenchStep', 0, NULL, t, t, NULL, json_build_object(
    'deps', CASE WHEN g % 10 > 0 THEN json_build_array('BenchStep_' || (g / 10) || '_' || (g % 10 - 1)) ELSE '[]'::json END,
    'stakeholders', json_build_array(${worker("(g / 10) % 4")}), 'workers', json_build_array(${worker("(g / 10) % 4")}), 'workerRunning', null,
    'time', t, 'updated', t, 'timeRunning', null, 'retry', null, 'remove', null, 'expl', null, 'priority', 0, 'resources', '{}'::json,
    'resourcesRunning', null, 'family', 'BenchStep', 'module', 'bench', 'params', json_build_object('chain', (g / 10)::text, 'step', (g % 10)::text, 'run', 'bench'),
    'paramVisibilities', json_build_object('chain', 0, 'step', 0, 'run', 0), 'acceptsMessages', false,
    'retryPolicy', json_build_object('retry_count', 999999999, 'disable_hard_timeout', 999999999, 'disable_window', 3600), 'failures', '[]'::json,
    'firstFailureTime', null, 'trackingUrl', null, 'statusMessage', null, 'progressPercentage', null, 'messageResponses', null,
    'schedulerDisableTime', null, 'runnable', true, 'batchable', false, 'batchId', null)
  FROM generate_series(0, $1::int - 1) g, (SELECT extract(epoch from now())::float8 AS t) x`, [TASKS]);
await client.query("ANALYZE scheduler_tasks");
await client.end();
console.log(`seeded ${TASKS} tasks in ${((performance.now() - seeded) / 1000).toFixed(1)} s; idle scheduler RSS ${idle.toFixed(0)} MiB`);

const active = await daemon("/");
await sleep(1000);
const rss = rssMiB(active.pid);
console.log(`start (load average ${loadavg()}): serving ${active.seconds.toFixed(1)} s after spawn, restore ${(await restoreSeconds(active.url)).toFixed(1)} s; RSS ${rss.toFixed(0)} MiB = ${(((rss - idle) * 2 ** 20) / TASKS).toFixed(0)} B/task over the idle ${idle.toFixed(0)} MiB`);

const standby = await daemon("/healthz/ready");
const killed = performance.now();
await active.stop("SIGKILL");
while (!(await fetch(standby.url + "/healthz/ready").then((r) => r.ok, () => false))) await sleep(10);
const took = (performance.now() - killed) / 1000;
await sleep(1000);
const rss2 = rssMiB(standby.pid);
console.log(`takeover (load average ${loadavg()}): standby serving ${took.toFixed(1)} s after the SIGKILL (restore ${(await restoreSeconds(standby.url)).toFixed(1)} s); its RSS ${rss2.toFixed(0)} MiB = ${(((rss2 - idle) * 2 ** 20) / TASKS).toFixed(0)} B/task over idle`);
await standby.stop("SIGTERM");
await db.stop();
fs.rmSync(home, { recursive: true, force: true });
