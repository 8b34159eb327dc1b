import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { freePort } from "@/lib/testing/free-port";
import { readMetric, startDaemon, type Daemon } from "./daemon";
import { luigiPython } from "./luigi-python";
import { scratchPostgres } from "./scratch-db";

// A takeover under real Luigi workers: two unmodified Python Luigi processes (2 workers each,
// --no-lock as on two hosts, one DAG of 71 tasks, luigi_takeover_dag.py) call our scheduler
// through a "load balancer": a TCP proxy to whichever scheduler answers 200 on /healthz/ready, or
// with --service, as a Kubernetes Service does, to every scheduler answering 200 on
// /healthz/serving in turn (a standby forwards to the active one); the active scheduler is SIGKILLed
// after --kill-after seconds, while the standby holds its copy of the state. Reports the takeover
// time, both Luigi processes' exit codes and summaries, and checks Luigi's history: every task
// RUNNING once and DONE once (no task handed to two workers, no event written twice). Needs
// Python with Luigi, as vs-luigid.ts (LUIGI_PYTHON, LUIGI_SRC); without them it says so and exits 0.
//
//   node --import tsx bench/scheduler/luigi-takeover.ts [--kill-after 4] [--service]

const here = path.dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf("--kill-after");
const KILL_AFTER = i === -1 ? 4 : Number(process.argv[i + 1]);
if (!(KILL_AFTER > 0)) throw new Error("--kill-after must be a number of seconds");
const { python, env: luigiEnv } = luigiPython();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ready = (d: Daemon) => fetch(d.url + "/healthz/ready").then((r) => r.ok, () => false);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "luigi-takeover-"));
const out = path.join(work, "out");
// Luigi's RPC retries (RemoteScheduler): a call that fails is retried after rpc-retry-wait.
fs.writeFileSync(path.join(work, "luigi.cfg"), "[core]\nrpc-retry-attempts = 30\nrpc-retry-wait = 1\n[worker]\nkeep_alive = true\nwait_interval = 0.5\n");
const db = await scratchPostgres("luigi-takeover-");
await applyMigrations(db.url);
const SERVICE = process.argv.includes("--service");
const active = await startDaemon(db.url, "/", { advertise: SERVICE });
const standby = await startDaemon(db.url, "/healthz/ready", { advertise: SERVICE });

// The load balancer's view: the processes its health check passes, polled every 50 ms.
let targets: Daemon[] = [];
const check = (d: Daemon) => fetch(d.url + (SERVICE ? "/healthz/serving" : "/healthz/ready")).then((r) => r.ok, () => false);
const watch = setInterval(async () => {
  const passing: Daemon[] = [];
  for (const d of [active, standby]) if (await check(d)) passing.push(d);
  targets = passing;
}, 50);
let turn = 0;
const port = await freePort();
const proxy = net.createServer((client) => {
  const target = targets[turn++ % Math.max(1, targets.length)];
  if (!target) return void client.destroy(); // no scheduler passes: the connection is refused, as by a load balancer
  const upstream = net.connect(Number(new URL(target.url).port), "127.0.0.1");
  client.pipe(upstream).on("error", () => upstream.destroy());
  upstream.pipe(client).on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
while (targets.length < (SERVICE ? 2 : 1)) await sleep(20);

const started = performance.now();
const luigi = (n: number) =>
  new Promise<number>((resolve) => {
    const log = fs.openSync(path.join(work, `luigi${n}.log`), "w");
    const child = spawn(python, ["-m", "luigi", "--module", "luigi_takeover_dag", "Top", "--scheduler-url", `http://127.0.0.1:${port}`, "--workers", "2", "--no-lock"], {
      cwd: work,
      env: { ...luigiEnv, PYTHONPATH: [luigiEnv.PYTHONPATH, here].join(":"), LUIGI_CONFIG_PATH: path.join(work, "luigi.cfg"), LUIGI_TAKEOVER_OUT: out },
      stdio: ["ignore", log, log],
    });
    child.on("exit", (code) => resolve(code ?? -1));
  });
const runs = [luigi(1), luigi(2)];
await sleep(KILL_AFTER * 1000);
const copy = await readMetric(standby, "switchyard_scheduler_standby_tasks");
const forwarded = await readMetric(standby, "switchyard_scheduler_forwarded_total");
const written = fs.existsSync(out) ? fs.readdirSync(out).length : 0;
console.log(`SIGKILL of the active scheduler ${((performance.now() - started) / 1000).toFixed(1)} s in: ${written} of 71 outputs written, the standby's copy holds ${copy} tasks and it forwarded ${forwarded} requests to the active one`);
const killed = performance.now();
await active.kill();
while (!(await ready(standby))) await sleep(10);
console.log(`takeover: the standby serving ${(performance.now() - killed).toFixed(0)} ms after the SIGKILL (restore ${((await readMetric(standby, "switchyard_scheduler_restore_seconds")) * 1000).toFixed(0)} ms, ${(await readMetric(standby, "switchyard_scheduler_restored_warm")) === 1 ? "from its copy" : "every row"})`);
const codes = await Promise.all(runs);
console.log(`Luigi: exit codes ${codes.join(", ")} after ${((performance.now() - started) / 1000).toFixed(1)} s; ${fs.readdirSync(out).length} of 71 outputs`);
// Each process's summary counts the tasks it ran; the rest were run by the other one (":|", as
// with luigid when two workers share a DAG).
let ran = 0;
for (const n of [1, 2]) {
  const log = fs.readFileSync(path.join(work, `luigi${n}.log`), "utf8");
  const failures = log.split("\n").filter((l) => l.includes("Failed connecting to remote scheduler")).length;
  const mine = Number(/\* (\d+) ran successfully/.exec(log)?.[1] ?? 0);
  ran += mine;
  console.log(`  process ${n}: ran ${mine} tasks; ${failures} failed scheduler calls retried`);
}
await sleep(1000); // history is written by the next checkpoint (0.2 s)
const client = new pg.Client(db.url);
await client.connect();
const { rows } = await client.query<{ task_id: string; running: number; done: number }>(
  "SELECT t.task_id, count(*) FILTER (WHERE e.event_name = 'RUNNING')::int AS running, count(*) FILTER (WHERE e.event_name = 'DONE')::int AS done FROM tasks t JOIN task_events e ON e.task_id = t.id GROUP BY t.task_id",
);
const odd = rows.filter((r) => r.running !== 1 || r.done !== 1);
console.log(`  ${ran} of 71 tasks run between them`);
console.log(`history: ${rows.length} tasks; ${odd.length === 0 ? "each RUNNING once and DONE once" : `not RUNNING once and DONE once: ${JSON.stringify(odd)}`}`);
await client.end();
clearInterval(watch);
proxy.close();
await standby.stop();
await db.stop();
if (!process.env.KEEP) fs.rmSync(work, { recursive: true, force: true });
else console.log(work);
process.exit(codes.every((c) => c === 0) && ran === 71 && odd.length === 0 && rows.length === 71 ? 0 : 1);
