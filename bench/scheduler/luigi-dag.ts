import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { metricValue } from "@/lib/scheduler/testing/metrics";
import { startOwnScheduler } from "./daemon";
import { luigiPython } from "./luigi-python";
import { startLuigid } from "./luigid";
import { clusterCpuMs, cpuMs, loadavg } from "./proc";

// What a Luigi user feels: unmodified Python Luigi (`python -m luigi`) runs one DAG of
// --chains × --length tasks plus a top (luigi_bench_dag.py; each task writes one small file)
// against our scheduler and against a real luigid without history, alternately, --rounds times
// each, every round a new DAG. Reported per run: the scheduling phase (from the spawn to the first
// task's output: Luigi's worker checks every task and calls add_task for each, one call at a
// time), the whole run (to the last process's exit), and the server's and PostgreSQL's CPU per
// task. With --processes N, N Luigi processes (--no-lock, as on N hosts) share the DAG, each with
// --workers W. Needs Python with Luigi, as vs-luigid.ts (LUIGI_PYTHON, LUIGI_SRC); without them it
// says so and exits 0.
//
//   node --import tsx bench/scheduler/luigi-dag.ts [--chains 200] [--length 10] [--processes 1] [--workers 1] [--rounds 2]

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, not ${process.argv[i + 1]}`);
  return value;
};
const CHAINS = arg("chains", 200);
const LENGTH = arg("length", 10);
const PROCESSES = arg("processes", 1);
const WORKERS = arg("workers", 1);
const ROUNDS = arg("rounds", 2);
const TASKS = CHAINS * LENGTH + 1;
const { python, env } = luigiPython();

type Target = { name: string; url: string; pid: number; postmaster: number | null };
type Result = { scheduling: number; total: number; written: number; codes: number[]; serverCpu: number; dbCpu: number; rpc: string };

const rpcSums = async (url: string) => {
  const text = await fetch(url + "/metrics").then((r) => (r.ok ? r.text() : ""), () => "");
  // a method not called yet has no series (NaN): 0; a luigid has none at all (NaN after too)
  const of = (method: string) => ({ n: metricValue(text, `switchyard_scheduler_rpc_duration_seconds_count{method="${method}"}`) || 0, s: metricValue(text, `switchyard_scheduler_rpc_duration_seconds_sum{method="${method}"}`) || 0 });
  const commit = { n: metricValue(text, "switchyard_scheduler_commit_seconds_count") || 0, s: metricValue(text, "switchyard_scheduler_commit_seconds_sum") || 0 };
  return { add_task: of("add_task"), get_work: of("get_work"), commit };
};

async function runDag(target: Target, round: number): Promise<Result> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "luigi-dag-"));
  const out = path.join(work, "out");
  fs.mkdirSync(out);
  let first = 0;
  const watcher = fs.watch(out, () => {
    if (!first) first = performance.now();
  });
  const rpcBefore = await rpcSums(target.url);
  const cpuBefore = { server: cpuMs(target.pid), db: target.postmaster ? clusterCpuMs(target.postmaster) : 0 };
  const started = performance.now();
  const codes = await Promise.all(
    Array.from({ length: PROCESSES }, (_, n) => {
      const log = fs.openSync(path.join(work, `luigi${n}.log`), "w");
      const args = ["-m", "luigi", "--module", "luigi_bench_dag", "Top", "--run-name", `${target.name}-${round}`, "--chains", String(CHAINS), "--length", String(LENGTH), "--scheduler-url", target.url, "--workers", String(WORKERS)];
      if (PROCESSES > 1) args.push("--no-lock");
      const child = spawn(python, args, { cwd: work, env: { ...env, PYTHONPATH: [env.PYTHONPATH, here].join(":"), LUIGI_BENCH_OUT: out }, stdio: ["ignore", log, log] });
      return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
    }),
  );
  const total = (performance.now() - started) / 1000;
  watcher.close();
  const rpcAfter = await rpcSums(target.url);
  const mean = (m: "add_task" | "get_work" | "commit") => (((rpcAfter[m].s - rpcBefore[m].s) / (rpcAfter[m].n - rpcBefore[m].n)) * 1000).toFixed(2);
  const result: Result = {
    scheduling: first ? (first - started) / 1000 : NaN, // NaN: no task ever wrote its output
    total,
    written: fs.readdirSync(out).length,
    codes,
    serverCpu: (cpuMs(target.pid) - cpuBefore.server) / TASKS,
    dbCpu: target.postmaster ? (clusterCpuMs(target.postmaster) - cpuBefore.db) / TASKS : 0,
    rpc: rpcAfter.add_task.n > 0 ? `; inside the scheduler add_task ${mean("add_task")} ms, get_work ${mean("get_work")} ms on average, a journal commit ${mean("commit")} ms` : "",
  };
  if (!codes.every((c) => c === 0) || result.written !== TASKS) console.log(`  Luigi's logs are in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
  return result;
}

const ours = await startOwnScheduler();
const luigid = await startLuigid();
const targets: Target[] = [
  { name: "ours", url: ours.url, pid: ours.pid, postmaster: ours.postmaster },
  { name: "luigid", url: luigid.url, pid: luigid.pid, postmaster: null },
];
console.log(`${TASKS} tasks (${CHAINS} chains of ${LENGTH} and a top), ${PROCESSES} Luigi process(es) with --workers ${WORKERS}; ours (history on, durable) and luigid (history off), alternately; load average ${loadavg()} on ${os.cpus().length} cores`);
let failed = false;
for (let round = 1; round <= ROUNDS; round++) {
  for (const target of targets) {
    const r = await runDag(target, round);
    const ok = r.codes.every((c) => c === 0) && r.written === TASKS;
    failed ||= !ok;
    const cpu = `server ${r.serverCpu.toFixed(2)} ms${target.postmaster ? `, PostgreSQL ${r.dbCpu.toFixed(2)} ms` : ""}`;
    console.log(`${target.name.padEnd(6)} round ${round}: scheduling ${r.scheduling.toFixed(1)} s, whole run ${r.total.toFixed(1)} s; ${r.written} of ${TASKS} outputs, exit ${r.codes.join(",")}${ok ? "" : " ✗"}; CPU per task: ${cpu}${r.rpc} (load average ${loadavg()})`);
  }
}
await ours.stop();
await luigid.stop();
process.exit(failed ? 1 : 0);
