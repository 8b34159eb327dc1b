import type pg from "pg";
import { bindArguments, METHODS } from "@/lib/scheduler/core/rpc-methods";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { taskData, workerData } from "@/lib/scheduler/store/rows";

// Seeds scheduler_tasks / scheduler_workers with N tasks in the benchmark's shape without going
// through HTTP and the group commit (which takes too long at 500k on a shared machine): the same
// add_task calls the bench clients send (client.ts) are run against an in-memory scheduler, 10k
// tasks at a time, and the rows written are the scheduler's own documents (taskData/workerData).

const CLIENTS = 4;
const BATCH = 10_000;

const workerId = (c: number) => `Worker(salt=bench${c}, workers=1, host=bench, username=bench, pid=${c})`;

function addTaskArgs(id: string, deps: string[], worker: string) {
  const [, chain, step] = id.split("_");
  return { task_id: id, status: "PENDING", runnable: true, deps, new_deps: null, expl: null, resources: {}, priority: 0, family: "BenchStep", module: "bench", params: { chain, step, run: "bench" }, param_visibilities: { chain: 0, step: 0, run: 0 }, accepts_messages: false, assistant: false, tracking_url: null, worker, batchable: false, batch_id: null, retry_policy_dict: { retry_count: null, disable_hard_timeout: null, disable_window: null }, owners: [] };
}

function run(s: Scheduler, method: string, data: Record<string, unknown>): void {
  METHODS[method].run(s, bindArguments(method, METHODS[method], data));
}

export async function seedBenchTasks(client: pg.Client, tasks: number): Promise<void> {
  let seq = 0;
  let last: Scheduler | null = null;
  for (let first = 0; first < tasks; first += BATCH) {
    const s = new Scheduler();
    for (let chain = first / 10; chain < Math.min(tasks, first + BATCH) / 10; chain++) {
      const c = chain % CLIENTS;
      for (let k = 9; k >= 0; k--) run(s, "add_task", addTaskArgs(`BenchStep_${c}x${chain}_${k}`, k > 0 ? [`BenchStep_${c}x${chain}_${k - 1}`] : [], workerId(c)));
    }
    const rows = [...s.state.tasks.values()].sort((a, b) => a.seq - b.seq);
    await client.query(
      `INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, worker_running, first_added, last_updated, history_id, data)
       SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::float8[], $8::float8[], $9::int4[], $10::json[])`,
      [rows.map((t) => t.id), rows.map(() => seq++), rows.map((t) => t.status), rows.map((t) => t.family), rows.map((t) => t.priority), rows.map((t) => t.workerRunning), rows.map((t) => t.time), rows.map((t) => t.updated), rows.map((t) => t.historyId), rows.map((t) => JSON.stringify(taskData(t)))],
    );
    last = s;
  }
  if (!last) return;
  for (let c = 0; c < CLIENTS; c++) run(last, "add_worker", { worker: workerId(c), info: [["workers", 1], ["host", "bench"]] });
  const workers = [...last.state.workers.values()];
  await client.query(
    `INSERT INTO scheduler_workers (worker_id, last_active, disabled, data) SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[], $4::json[])`,
    [workers.map((w) => w.id), workers.map((w) => w.lastActive), workers.map((w) => w.disabled), workers.map((w) => JSON.stringify(workerData(w)))],
  );
}
