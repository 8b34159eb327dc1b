import { bindArguments, METHODS } from "@/lib/scheduler/core/rpc-methods";
import { tagRun } from "@/lib/scheduler/core/run-workers";
import { Scheduler } from "@/lib/scheduler/core/scheduler";

// What the scheduler's whole-state passes cost at N tasks, in-process (no HTTP, no database): a
// prune (SPEC §6; it runs on its timer and before the reads luigid prunes in, worker_list and
// task_list among them: luigid's visits every task, ours the tasks changed since the last one and
// the RUNNING, FAILED and DISABLED lists, core/prune.ts) and release_run_workers, which the runner
// calls each time a run's process ends. Each blocks the event loop for as long as it takes, so it
// is what a get_work arriving meanwhile waits for.
//
//   node --import tsx bench/scheduler/prune-cost.ts [--tasks 500000]

const i = process.argv.indexOf("--tasks");
const TASKS = i === -1 ? 500_000 : Number(process.argv[i + 1]);
if (!Number.isInteger(TASKS) || TASKS < 10) throw new Error(`--tasks must be an integer of at least 10, not ${process.argv[i + 1]}`);
const s = new Scheduler();
const call = (method: string, data: Record<string, unknown>) => METHODS[method].run(s, bindArguments(method, METHODS[method], data));
const worker = (c: number) => `Worker(salt=bench${c}, workers=1, host=bench, username=bench, pid=${c})`;
for (let chain = 0; chain < TASKS / 10; chain++) {
  for (let k = 9; k >= 0; k--) call("add_task", { task_id: `BenchStep_${chain}_${k}`, status: "PENDING", runnable: true, deps: k > 0 ? [`BenchStep_${chain}_${k - 1}`] : [], family: "BenchStep", params: {}, worker: worker(chain % 4) });
}
console.log(`${s.state.tasks.size} tasks held, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
const ms = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0).toFixed(1);
};
for (let run = 1; run <= 5; run++) {
  // a run's worker that was running a task when its process died
  const w = `Worker(salt=run${run}, workers=1, host=h, username=u, pid=${run})`;
  call("add_task", { task_id: `RunRoot_${run}`, status: "PENDING", runnable: true, deps: [], family: "RunRoot", params: {}, worker: w });
  call("get_work", { worker: w, host: "h" });
  tagRun(s.ctx(), w, run);
  let failed: unknown;
  const took = ms(() => (failed = call("release_run_workers", { run_id: run })));
  console.log(`release_run_workers(${run}): ${took} ms, ${JSON.stringify(failed)}`);
}
for (let n = 1; n <= 3; n++) console.log(`prune ${n}: ${ms(() => s.prune())} ms${n === 1 ? " (every task is new since the last one)" : ""}`);
// a minute of a busy fleet: 1,000 tasks announced and reported DONE since the last prune
for (let k = 0; k < 1000; k++) {
  call("add_task", { task_id: `Fresh_${k}`, status: "PENDING", runnable: true, deps: [], family: "Fresh", params: {}, worker: worker(0) });
  call("add_task", { task_id: `Fresh_${k}`, status: "DONE", runnable: null, deps: null, family: "Fresh", params: {}, worker: worker(0) });
}
console.log(`prune after 1,000 tasks were announced and done: ${ms(() => s.prune())} ms`);
