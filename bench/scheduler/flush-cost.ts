import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { cpuMs, loadavg } from "./proc";
import { scratchPostgres } from "./scratch-db";
import { createLogger } from "@/lib/log/logger";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { parsePythonJson } from "@/lib/scheduler/http/python-json";
import { SchedulerService } from "@/lib/scheduler/service";
import { openActiveDurability } from "@/lib/scheduler/store/postgres-durability";

// CPU cost of the group commit, measured where a shared machine's load does not blur it: the
// scheduler runs in-process, 4 simulated workers call add_task one at a time each (chains of 10,
// all 20 keys), and the PostgreSQL backend of the commit connection is read from /proc (user +
// system CPU time) — not wall time, which on a loaded machine is mostly waiting for a CPU. Then
// the work phase: the same 4 callers take tasks with get_work and report each DONE, and the
// backend's CPU per commit and this process's CPU per hand-out are printed. The backends are the
// journal's and the checkpoint's (store/journal.ts); each phase ends with the checkpoint of its changes.
// The WAL written per call is printed too: unlike CPU, the host's speed does not move it.
//
//   node --import tsx bench/scheduler/flush-cost.ts [--tasks 20000]

const i = process.argv.indexOf("--tasks");
const TASKS = i === -1 ? 20000 : Number(process.argv[i + 1]);
const logger = createLogger("flush-cost", "warn");
const db = await scratchPostgres("flush-cost-");
await applyMigrations(db.url);
const scheduler = new Scheduler({});
const durability = await openActiveDurability(scheduler, db.url, logger, { synchronousCommit: true, checkpointSeconds: 0.2 }, () => {}).durability;
const service = new SchedulerService(scheduler, durability);
const admin = new pg.Client(db.url);
await admin.connect();
// The journal's connection and the checkpoint's (opened by the first checkpoint): both backends count.
await service.execute("add_task", { task_id: "Warm_1", family: "Warm", params: {}, worker: "warm", status: "PENDING" });
await durability.checkpoint();
const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'switchyard-scheduler%'");
const cpuSeconds = () => rows.reduce((sum, r) => sum + cpuMs(r.pid), 0) / 1000;
const selfCpu = () => process.cpuUsage();
// WAL written, a figure this host's speed does not move: nothing else writes to this cluster.
const walBytes = async () => Number((await admin.query<{ b: string }>("SELECT pg_current_wal_insert_lsn() - '0/0' AS b")).rows[0].b);

const args = (c: number, chain: number, k: number) => ({ task_id: `BenchStep_${c}x${chain}_${k}`, status: "PENDING", runnable: true, deps: k > 0 ? [`BenchStep_${c}x${chain}_${k - 1}`] : [], new_deps: null, expl: null, resources: {}, priority: 0, family: "BenchStep", module: "bench", params: { chain: `${c}x${chain}`, step: String(k), run: "bench" }, param_visibilities: { chain: 0, step: 0, run: 0 }, accepts_messages: false, assistant: false, tracking_url: null, worker: `Worker(salt=bench${c}, workers=1, host=bench, username=bench, pid=${c})`, batchable: false, batch_id: null, retry_policy_dict: { retry_count: null, disable_hard_timeout: null, disable_window: null }, owners: [] });
const wal0 = await walBytes();
const cpu0 = cpuSeconds();
const self0 = selfCpu();
const t0 = performance.now();
await Promise.all([0, 1, 2, 3].map(async (c) => {
  for (let chain = 0; chain < TASKS / 40; chain++) for (let k = 9; k >= 0; k--) await service.execute("add_task", args(c, chain, k));
}));
await durability.checkpoint();
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
const self = process.cpuUsage(self0);
const n = durability.stats!.flushes;
const wal = (await walBytes()) - wal0;
console.log(`${TASKS} add_task calls, ${n} group commits (${(TASKS / n).toFixed(1)} calls each); load average ${loadavg()}; WAL ${(wal / TASKS).toFixed(0)} B per call`);
console.log(`PostgreSQL backend CPU: ${((cpu / n) * 1000).toFixed(2)} ms per commit, ${((cpu / TASKS) * 1000).toFixed(2)} ms per call; scheduler CPU ${(((self.user + self.system) / 1000 / TASKS)).toFixed(2)} ms per call; wall ${(TASKS / wall).toFixed(0)} calls/s`);

// The work phase as the bench's workers run it: get_work, then add_task(DONE) for the task handed out.
const WORK = Math.min(TASKS, 8000);
const workWal0 = await walBytes();
const workCpu0 = cpuSeconds();
const flushes0 = durability.stats!.flushes;
const workSelf0 = selfCpu();
const w0 = performance.now();
let handed = 0;
await Promise.all([0, 1, 2, 3].map(async (c) => {
  const worker = `Worker(salt=bench${c}, workers=1, host=bench, username=bench, pid=${c})`;
  while (handed < WORK) {
    const reply = parsePythonJson(Buffer.concat(await service.execute("get_work", { worker, host: "bench", assistant: false, current_tasks: [] })).toString()) as { response: { task_id: string | null } };
    const id = reply.response.task_id;
    if (!id) break;
    handed++;
    const [, chain, step] = id.split("_");
    await service.execute("add_task", { ...args(c, 0, 0), task_id: id, status: "DONE", runnable: null, deps: null, new_deps: [], expl: "null", params: { chain, step, run: "bench" } });
  }
}));
await durability.checkpoint();
const workWall = (performance.now() - w0) / 1000;
const workFlushes = durability.stats!.flushes - flushes0;
const workCpuUsed = cpuSeconds() - workCpu0;
const workSelf = process.cpuUsage(workSelf0);
const workWal = (await walBytes()) - workWal0;
console.log(`work phase: ${handed} get_work hand-outs + DONE reports, ${workFlushes} group commits; PostgreSQL backend CPU ${((workCpuUsed / workFlushes) * 1000).toFixed(2)} ms per commit; scheduler CPU ${((workSelf.user + workSelf.system) / 1000 / handed).toFixed(3)} ms per hand-out; ${(handed / workWall).toFixed(0)} hand-outs/s; WAL ${(workWal / handed).toFixed(0)} B per hand-out`);
await admin.end();
await durability.close();
await db.stop();
