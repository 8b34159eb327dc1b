import { createHash } from "node:crypto";
import type { Ctx } from "@/lib/scheduler/core/context";
import { countPending } from "@/lib/scheduler/core/count-pending";
import { truthy } from "@/lib/scheduler/core/python";
import { EMPTY, isEmpty, type Resources, type Task, type Worker } from "@/lib/scheduler/core/records";
import type { SortedList } from "@/lib/scheduler/core/sorted-list";
import { BATCH_RUNNING, PENDING, RUNNING, setStatus } from "@/lib/scheduler/core/transitions";

// get_work (SPEC §5.2). luigid sorts every PENDING and RUNNING task on each call; here the walk runs
// over the ready list (PENDING tasks whose deps are all DONE, kept sorted by rank) merged with the
// RUNNING list, which visits exactly the tasks that can affect luigid's decision, in its order:
// non-schedulable PENDING tasks never influence it. A trivial worker walks only its own ready list.

export type GetWorkArgs = { host: unknown; assistant: unknown; current_tasks: string[] | null; worker: string };
export type Batcher = { args: string[]; maxBatchSize: number };
type Choice = { best: Task | null; batch: Task[]; batched: Record<string, unknown[]> | null };

export function getWork(ctx: Ctx, a: GetWorkArgs, paused: boolean, batcherOf: (worker: string, family: string) => Batcher | undefined): Record<string, unknown> {
  const { state, now } = ctx;
  const worker = state.getWorker(a.worker, now);
  worker.reference = { host: a.host };
  worker.lastActive = now;
  worker.lastGetWork = now;
  state.touchWorker(worker);
  if (worker.disabled) return { n_pending_tasks: 0, running_tasks: [], task_id: null, n_unique_pending: 0, worker_state: "disabled" };
  const assistant = truthy(a.assistant);
  if (assistant) worker.info.assistant = a.assistant;

  let choice: Choice = { best: null, batch: [], batched: null };
  if (a.current_tasks !== null) {
    const current = new Set(a.current_tasks);
    for (const t of state.running) {
      if (t.workerRunning === worker.id && !current.has(t.id)) {
        choice.best = t; // handed out again: the worker lost track of it
        break;
      }
    }
    resetOrphanedBatchTasks(ctx, worker.id);
  }
  if (!choice.best && !paused) {
    const trivial = !worker.assistant && worker.nPendingWithResources === 0;
    choice = trivial ? walkOwn(worker, batcherOf) : walkGreedy(ctx, worker, assistant, batcherOf);
  }
  const reply: Record<string, unknown> = countPending(ctx, worker.id);
  const { best, batch, batched } = choice;
  if (best && batch.length > 1) {
    const batchId = createHash("md5").update(batch.map((t) => t.id).join("|"), "utf8").digest("hex");
    for (const t of batch) {
      setStatus(ctx, t, BATCH_RUNNING);
      t.batchId = batchId;
      t.workerRunning = worker.id;
      t.resourcesRunning = runningCopy(t.resources);
      t.timeRunning = now;
    }
    Object.assign(reply, { task_id: null, task_family: best.family, task_module: best.module, task_params: { ...best.params, ...batched }, batch_id: batchId, batch_task_ids: batch.map((t) => t.id) });
  } else if (best) {
    setStatus(ctx, best, RUNNING);
    best.workerRunning = worker.id;
    best.resourcesRunning = runningCopy(best.resources);
    best.timeRunning = now;
    state.recordEvent({ task: best, status: RUNNING, ts: now, host: typeof a.host === "string" ? a.host : null, origin: "rpc" });
    Object.assign(reply, { task_id: best.id, task_family: best.family, task_module: best.module, task_params: best.params });
  } else reply.task_id = null;
  return reply;
}

/** A trivial worker (no assistant, no resources on its pending tasks) takes its best ready task. */
function walkOwn(worker: Worker, batcherOf: (w: string, f: string) => Batcher | undefined): Choice {
  const best = worker.ready?.first();
  if (!best) return { best: null, batch: [], batched: null };
  return collectBatch(best, worker.ready!, batcherOf(worker.id, best.family));
}

function walkGreedy(ctx: Ctx, worker: Worker, assistant: boolean, batcherOf: (w: string, f: string) => Batcher | undefined): Choice {
  const { state, now } = ctx;
  const caps = ctx.config.resources;
  const used = usedResources(ctx);
  const slots = new Map<string, number>();
  for (const w of state.workers.values()) {
    if (w.lastGetWork !== null && w.lastGetWork > now - ctx.config.workerDisconnectDelay) slots.set(w.id, slotCount(w));
  }
  const greedy: Resources = {};
  for (const t of mergeByRank(state.ready, state.running)) {
    if (t.status === RUNNING) {
      if (t.workerRunning !== null && slots.has(t.workerRunning)) {
        slots.set(t.workerRunning, slots.get(t.workerRunning)! - 1);
        addInto(greedy, t.resourcesRunning ?? t.resources);
      }
      continue;
    }
    if (!fits(t.resources, greedy, caps)) continue;
    const mayRun = (assistant && t.runnable) || t.workers.includes(worker.id);
    if (mayRun && fits(t.resources, used, caps)) return collectBatch(t, state.ready, batcherOf(worker.id, t.family));
    // Reserve a slot for one of the task's own workers, so that this worker's lower-priority work
    // cannot starve another worker's higher-priority task that needs the same resources.
    for (const w of assistant ? [...t.workers, worker.id] : t.workers) {
      const left = slots.get(w) ?? 0;
      if (left > 0) {
        slots.set(w, left - 1);
        addInto(greedy, t.resources);
        break;
      }
    }
  }
  return { best: null, batch: [], batched: null };
}

/** Batching (SPEC §5.2 step 8): same family, batchable, same other params and resources. */
function collectBatch(best: Task, list: SortedList<Task>, batcher: Batcher | undefined): Choice {
  if (!batcher || batcher.args.length === 0 || !best.batchable) return { best, batch: [], batched: null };
  if (!batcher.args.every((name) => name in best.params)) return { best, batch: [], batched: null };
  const batched: Record<string, unknown[]> = {};
  for (const name of batcher.args) batched[name] = [best.params[name]];
  const unbatched = Object.entries(best.params).filter(([name]) => !(name in batched));
  const batch = [best];
  for (const t of list.after(best)) {
    if (batch.length >= batcher.maxBatchSize) break;
    if (t.family !== best.family || !t.batchable || t.status !== PENDING || t.blocked !== 0) continue;
    if (!unbatched.every(([name, value]) => sameValue(t.params[name], value)) || !sameValue(t.resources, best.resources)) continue;
    for (const name of batcher.args) batched[name].push(t.params[name] ?? null);
    batch.push(t);
  }
  return { best, batch, batched };
}

/** BATCH_RUNNING tasks of this worker whose batch is no longer running go back to PENDING. */
function resetOrphanedBatchTasks(ctx: Ctx, workerId: string): void {
  const live = new Set<string | null>();
  for (const t of ctx.state.bucket(RUNNING)) if (t.workerRunning === workerId) live.add(t.batchId);
  for (const t of [...ctx.state.bucket(BATCH_RUNNING)]) {
    if (t.workerRunning !== workerId || live.has(t.batchId)) continue;
    ctx.state.recordEvent({ task: t, status: PENDING, ts: ctx.now, host: null, origin: "scheduler" });
    setStatus(ctx, t, PENDING);
  }
}

/** A running task's own copy of its resources (decrease_running_task_resources lowers it); none to copy for most. */
function runningCopy(resources: Resources): Resources {
  return isEmpty(resources) ? (EMPTY as Resources) : { ...resources };
}

export function usedResources(ctx: Ctx): Resources {
  const used: Resources = {};
  for (const t of ctx.state.bucket(RUNNING)) addInto(used, t.resourcesRunning ?? t.resources);
  return used;
}

function fits(needed: Resources, used: Resources, caps: Resources): boolean {
  for (const r in needed) if (needed[r] + (used[r] ?? 0) > (caps[r] ?? 1)) return false;
  return true;
}

function addInto(total: Resources, add: Resources): void {
  for (const r in add) total[r] = (total[r] ?? 0) + add[r];
}

function slotCount(w: Worker): number {
  const n = w.info.workers;
  return typeof n === "number" && Number.isFinite(n) ? n : 1;
}

function* mergeByRank(a: SortedList<Task>, b: SortedList<Task>): IterableIterator<Task> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let x = ia.next();
  let y = ib.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && rankBefore(x.value, y.value))) {
      yield x.value;
      x = ia.next();
    } else {
      yield y.value;
      y = ib.next();
    }
  }
}

function rankBefore(a: Task, b: Task): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.time !== b.time) return a.time < b.time;
  return a.seq < b.seq;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
