import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { metricValue } from "@/lib/scheduler/testing/metrics";
import { readMetric, startDaemon, startOwnScheduler } from "./daemon";
import { clusterCpuMs, cpuMs, loadavg, machineMs, rssMiB } from "./proc";

// Scheduler benchmark: 4 client processes announce chains of 10 tasks (add_task rate) with one
// call in flight each, as Luigi workers do (or --in-flight N), a task_list(PENDING) over all of
// them is timed, 4 worker processes poll get_work and report DONE (latency percentiles and
// hand-outs/s), the scheduler's RSS is read per task held, and (--takeover) a standby started on
// the same database takes over from the SIGKILLed active one.
//
//   node --import tsx bench/scheduler/run.ts [--tasks 50000] [--in-flight 1] [--clients 4] [--client node|python] [--no-task-list] [--visualiser] [--takeover] [--url http://127.0.0.1:8082 [--server-pid N]]
//
// --client python: the clients are client.py, Python's requests as Luigi's worker uses it (one call
// in flight; LUIGI_PYTHON or /usr/bin/python3). The default is client.ts, the same calls from Node.
//
// With --url it drives that server (a real luigid works too; RSS is then not measured).
// Without, it starts `lib/scheduler/daemon.ts` on an embedded PostgreSQL (or DATABASE_URL).

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const TASKS = Number(arg("tasks", "50000"));
const CLIENTS = Number(arg("clients", "4"));
if (!Number.isInteger(CLIENTS) || CLIENTS < 1) throw new Error(`--clients must be a whole number of at least 1, not ${arg("clients", "")}`);
const WORK_SECONDS = Number(arg("work-seconds", "10"));
const IN_FLIGHT = arg("in-flight", arg("concurrency", "1"));
const flag = (name: string) => process.argv.includes(`--${name}`);
const CLIENT = arg("client", "node");
if (CLIENT !== "node" && CLIENT !== "python") throw new Error(`--client must be node or python, not ${CLIENT}`);
if (CLIENT === "python" && IN_FLIGHT !== "1") throw new Error("--client python keeps one call in flight, as Luigi's worker does: leave --in-flight out");
if (CLIENT === "python") {
  // Without requests every client would die at once and leave the bench waiting: say so up front.
  const python = process.env.LUIGI_PYTHON ?? "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import requests"], { encoding: "utf8" });
  if (probe.status !== 0) throw new Error(`--client python needs Python's requests: \`${python} -c "import requests"\` failed (${(probe.error?.message ?? probe.stderr.trim().split("\n").pop()) || `exit ${probe.status}`}); install python3-requests or set LUIGI_PYTHON`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client prints its own JSON shapes
function runClient(args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const [command, ...script] = CLIENT === "python" ? [process.env.LUIGI_PYTHON ?? "/usr/bin/python3", path.join(here, "client.py")] : [process.execPath, "--import", "tsx", path.join(here, "client.ts")];
    const child = spawn(command, [...script, ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`client exited ${code}`))));
  });
}

// Where the machine's CPU went, per call (a 2-core machine shared by clients, server and database
// blurs throughput far more than this): the clients' own CPU (each reports it), the server's (our
// daemon, or --server-pid: vs-luigid.ts passes luigid's), PostgreSQL's, and how idle the machine was.
type CpuSnapshot = { server: number; database: number; idle: number; total: number };
function cpuSnapshot(serverPid: number, postmaster: number | null): CpuSnapshot {
  return { server: serverPid ? cpuMs(serverPid) : NaN, database: postmaster ? clusterCpuMs(postmaster) : 0, ...machineMs() };
}
const SERVER_PID = Number(arg("server-pid", "0"));
function printCpu(what: string, calls: number, clientCpuSeconds: number[], before: CpuSnapshot, after: CpuSnapshot): void {
  const per = (ms: number) => (ms / calls).toFixed(2);
  const clients = clientCpuSeconds.reduce((a, b) => a + b, 0) * 1000;
  const parts = [`clients ${per(clients)} ms`];
  if (Number.isFinite(after.server)) parts.push(`${own ? "scheduler" : "server"} ${per(after.server - before.server)} ms`);
  if (after.database > 0) parts.push(`PostgreSQL ${per(after.database - before.database)} ms`);
  console.log(`  CPU per ${what}: ${parts.join(", ")}; the machine ${((100 * (after.idle - before.idle)) / (after.total - before.total)).toFixed(0)}% idle`);
}

// reduce, not Math.max(...xs): against the do-nothing server a 10 s window holds millions of calls
const maxOf = (xs: number[]) => xs.reduce((m, x) => (x > m ? x : m), -Infinity);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const own = arg("url", "") ? null : await startOwnScheduler();
const url = arg("url", "") || own!.url;
console.log(`target ${url}, ${TASKS} tasks (${TASKS / 10} chains of 10), ${CLIENTS} ${CLIENT === "python" ? "Python (requests)" : "Node"} client processes with ${IN_FLIGHT} call(s) in flight each; load average ${loadavg()} on ${os.cpus().length} cores`);
const baseRss = own ? rssMiB(own.pid) : 0;

const chainsPer = Math.ceil(TASKS / 10 / CLIENTS);
const serverPid = own?.pid ?? SERVER_PID;
const cpuAtAnnounce = cpuSnapshot(serverPid, own?.postmaster ?? null);
const t0 = performance.now();
const announced = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => runClient(["announce", url, String(c), String(chainsPer), IN_FLIGHT])));
const seconds = (performance.now() - t0) / 1000;
const calls = announced.reduce((n, r) => n + r.calls, 0);
console.log(`add_task: ${calls} calls in ${seconds.toFixed(1)} s = ${(calls / seconds).toFixed(0)}/s (load average ${loadavg()})`);
printCpu("add_task", calls, announced.map((r) => r.cpu), cpuAtAnnounce, cpuSnapshot(serverPid, own?.postmaster ?? null));
// The scheduler's own counters (absent for a luigid: then NaN, and the lines using them are left out)
const scrape = () => fetch(url + "/metrics").then((r) => (r.ok ? r.text() : "")).catch(() => "");
type FlushStats = { n: number; seconds: number; checkpoints: number; checkpointSeconds: number; rows: number; events: number };
const flushStats = async (): Promise<FlushStats> => {
  const text = await scrape();
  const get = (name: string) => metricValue(text, `switchyard_scheduler_${name}`);
  return { n: get("flushes_total"), seconds: get("flush_seconds_total"), checkpoints: get("checkpoints_total"), checkpointSeconds: get("checkpoint_seconds_total"), rows: get("flush_rows_total"), events: get("history_events_total") };
};
const printFlushes = (now: FlushStats, before: FlushStats = { n: 0, seconds: 0, checkpoints: 0, checkpointSeconds: 0, rows: 0, events: 0 }) => {
  const n = now.n - before.n;
  const c = now.checkpoints - before.checkpoints;
  if (n > 0) console.log(`  group commits (journal rows): ${n}, ${(((now.seconds - before.seconds) / n) * 1000).toFixed(1)} ms each; checkpoints: ${c}, ${c > 0 ? (((now.checkpointSeconds - before.checkpointSeconds) / c) * 1000).toFixed(1) : "-"} ms each, ${c > 0 ? ((now.rows - before.rows) / c).toFixed(0) : "-"} rows and ${c > 0 ? ((now.events - before.events) / c).toFixed(0) : "-"} history events per checkpoint`);
};
const memory = async () => {
  const text = await scrape();
  const mib = (name: string) => (metricValue(text, name) / 2 ** 20).toFixed(0);
  return `V8 heap ${mib("nodejs_heap_used_bytes")} MiB used of ${mib("nodejs_heap_total_bytes")}, external ${mib("nodejs_external_memory_bytes")} MiB`;
};
printFlushes(await flushStats());
if (own) {
  const rss = rssMiB(own.pid);
  console.log(`RSS: ${rss.toFixed(0)} MiB with ${calls} tasks (${(((rss - baseRss) * 2 ** 20) / calls).toFixed(0)} B/task over the idle ${baseRss.toFixed(0)} MiB; ${((rss * 2 ** 20) / calls).toFixed(0)} B/task in total; ${await memory()})`);
}

// task_list(PENDING) over all the tasks, read through node:http as a client that takes the bytes at
// socket speed (curl, Python's requests, a browser) would: time to the first and the last byte.
// The first call of a process runs task_list's code before V8 has optimised it; the next ones
// show what a visualiser polling it sees, so both are printed, and the p50 of the five calls.
// (Node's fetch() spends ~100 ms of its own moving 25 MB through web streams: not used here.)
const getTaskList = (gzip: boolean) =>
  new Promise<{ firstByte: number; lastByte: number; wire: number; json: number }>((resolve, reject) => {
    const t1 = performance.now();
    const query = encodeURIComponent(JSON.stringify({ status: "PENDING", upstream_status: "", search: "" }));
    http.get(`${url}/api/task_list?data=${query}`, { agent: false, headers: { "Accept-Encoding": gzip ? "gzip" : "identity" } }, (res) => {
      const firstByte = performance.now() - t1;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const json = res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(body).length : body.length; // a client inflates what it reads
        resolve({ firstByte, lastByte: performance.now() - t1, wire: body.length, json });
      });
      res.on("error", reject);
    }).on("error", reject);
  });
const taskListMs: number[] = [];
for (const gzip of flag("no-task-list") ? [] : [false, false, false, false, false, true]) {
  // the scheduler's own time (running the call and encoding the reply; not the Etag, gzip or transfer)
  const server0 = metricValue(await scrape(), 'switchyard_scheduler_rpc_duration_seconds_sum{method="task_list"}') || 0; // no line before the first call
  const r = await getTaskList(gzip);
  if (!gzip) taskListMs.push(r.lastByte);
  const server = (metricValue(await scrape(), 'switchyard_scheduler_rpc_duration_seconds_sum{method="task_list"}') - server0) * 1000;
  console.log(`task_list(PENDING)${gzip ? " gzip" : ""} (load average ${loadavg()}): ${r.lastByte.toFixed(0)} ms (first byte ${r.firstByte.toFixed(0)} ms), ${(r.wire / 1e6).toFixed(1)} MB on the wire (${(r.json / 1e6).toFixed(1)} MB of JSON)${server > 0 ? `; ${server.toFixed(0)} ms of it building the reply` : ""}`);
}
if (taskListMs.length > 0) console.log(`  task_list(PENDING): first call ${taskListMs[0].toFixed(0)} ms, p50 of ${taskListMs.length} calls ${pct(taskListMs, 50).toFixed(0)} ms`);

const beforeWork = await flushStats();
const tailBefore = await scrape();
// --visualiser: a Luigi visualiser open on the PENDING list meanwhile, asking for it again a
// second after each answer (what the work phase's get_work then waits behind).
let visualiserOpen = flag("visualiser");
const visualiser = (async () => {
  const ms: number[] = [];
  while (visualiserOpen) {
    ms.push((await getTaskList(false)).lastByte);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return ms;
})();
const cpuAtWork = cpuSnapshot(serverPid, own?.postmaster ?? null);
const workers = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => runClient(["work", url, String(c), String(WORK_SECONDS)])));
const cpuAfterWork = cpuSnapshot(serverPid, own?.postmaster ?? null);
visualiserOpen = false;
const visualiserCalls = await visualiser;
if (visualiserCalls.length > 0) console.log(`  meanwhile a visualiser read task_list(PENDING) ${visualiserCalls.length} times: ${visualiserCalls.map((m) => m.toFixed(0)).join(", ")} ms`);
const lat = workers.flatMap((w) => w.latencies as number[]);
const handed = workers.reduce((n, w) => n + w.handed, 0);
printFlushes(await flushStats(), beforeWork);
console.log(`get_work (load average ${loadavg()}): ${lat.length} calls, p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${maxOf(lat).toFixed(1)} ms; ${handed} hand-outs in ${WORK_SECONDS} s = ${(handed / WORK_SECONDS).toFixed(0)}/s`);
if (handed > 0) printCpu("hand-out (get_work and add_task DONE)", handed, workers.map((w) => w.cpu), cpuAtWork, cpuAfterWork);
else printCpu("get_work call (none handed out work)", lat.length, workers.map((w) => w.cpu), cpuAtWork, cpuAfterWork);
// each worker's first call opens its connection in a fresh process: said apart, it stays in the figures above
const later = workers.flatMap((w) => (w.latencies as number[]).slice(1));
console.log(`  first call of each worker: ${workers.map((w) => (w.latencies as number[])[0]?.toFixed(1)).join(", ")} ms; the others' max ${maxOf(later).toFixed(1)} ms; each worker's slowest: ${workers.map((w) => `${w.slowest.ms.toFixed(1)} ms at ${w.slowest.at.toFixed(2)} s`).join(", ")}`);
// Where the tail comes from: the share of slow calls the scheduler itself saw (its histograms,
// from request parsed to reply encoded and committed), against the share the clients saw.
const tailAfter = await scrape();
const over = (name: string, labels: string) => {
  const get = (text: string, le: string) => metricValue(text, `${name}_bucket{${labels}le="${le}"}`) || 0;
  const n = get(tailAfter, "+Inf") - get(tailBefore, "+Inf");
  return { n, slow: n - (get(tailAfter, "0.005") - get(tailBefore, "0.005")) };
};
const rpc = over("switchyard_scheduler_rpc_duration_seconds", 'method="get_work",');
const commits = over("switchyard_scheduler_commit_seconds", "");
const loop = over("switchyard_scheduler_event_loop_delay_seconds", "");
if (rpc.n > 0) console.log(`  over 5 ms: ${((lat.filter((l) => l > 5).length / lat.length) * 100).toFixed(2)}% of get_work calls at the clients, ${((rpc.slow / rpc.n) * 100).toFixed(2)}% inside the scheduler, ${((commits.slow / Math.max(1, commits.n)) * 100).toFixed(2)}% of ${commits.n} group commits; the scheduler's event loop ran ${((loop.slow / Math.max(1, loop.n)) * 100).toFixed(2)}% of its ${loop.n} 20 ms probes over 5 ms late`);
if (own) console.log(`RSS at the end: ${rssMiB(own.pid).toFixed(0)} MiB (${await memory()})`);
if (own && flag("takeover")) {
  // A standby on the same database; once it holds its copy of the state (store/warm-standby.ts)
  // the active one is SIGKILLed; time until the standby serves.
  const standby = await startDaemon(own.databaseUrl, "/healthz/ready");
  while (!((await readMetric(standby, "switchyard_scheduler_standby_tasks")) > 0)) await new Promise((r) => setTimeout(r, 50));
  const killed = performance.now();
  await own.kill();
  while (!(await fetch(standby.url + "/healthz/ready").then((r) => r.ok).catch(() => false))) await new Promise((r) => setTimeout(r, 10));
  const took = performance.now() - killed;
  const text = await fetch(standby.url + "/metrics").then((r) => r.text());
  console.log(`takeover (load average ${loadavg()}): standby serving ${took.toFixed(0)} ms after the SIGKILL; restore of ${metricValue(text, "switchyard_scheduler_restored_tasks")} tasks took ${(metricValue(text, "switchyard_scheduler_restore_seconds") * 1000).toFixed(0)} ms (${metricValue(text, "switchyard_scheduler_restored_warm") === 1 ? "from the standby's copy" : "every row"}); RSS ${rssMiB(standby.pid).toFixed(0)} MiB`);
  await standby.stop();
}
console.log(`load average at the end ${loadavg()}`);
if (own) await own.stop();
