import type { Ctx } from "@/lib/scheduler/core/context";
import { EMPTY, internPolicy, internVisibilities, isEmpty, NO_IDS, type Params, type Resources, type RetryPolicy, type Task } from "@/lib/scheduler/core/records";
import { truthy } from "@/lib/scheduler/core/python";
import { batchMembers, DONE, FAILED, PENDING, RUNNING, BATCH_RUNNING, SUSPENDED, UNKNOWN, setStatus, type Status } from "@/lib/scheduler/core/transitions";

// add_task (SPEC §2.2): the central command. The numbered comments follow the spec's steps; their
// order matters (e.g. the status gate runs before deps are replaced).

export type AddTaskArgs = {
  task_id: string;
  status: string;
  runnable: unknown;
  deps: string[] | null;
  new_deps: string[] | null;
  expl: string | null;
  resources: Resources | null;
  priority: number;
  family: string;
  module: string | null;
  params: Params | null;
  param_visibilities: Record<string, unknown> | null;
  accepts_messages: boolean | null;
  assistant: unknown;
  tracking_url: unknown;
  worker: string;
  batchable: boolean | null;
  batch_id: string | null;
  retry_policy_dict: Record<string, number | null> | null;
};

export function addTask(ctx: Ctx, a: AddTaskArgs): void {
  const { state, now } = ctx;
  // 1. the worker record, refreshed
  const worker = state.getWorker(a.worker, now);
  worker.lastActive = now;
  state.touchWorker(worker);
  // 2. resources copy and retry policy
  const resources: Resources = a.resources === null || isEmpty(a.resources) ? (EMPTY as Resources) : { ...a.resources };
  const policy = retryPolicy(ctx, a.retry_policy_dict);
  // 3. create the task (enabled workers only)
  let task = state.tasks.get(a.task_id);
  if (!task && !worker.disabled) {
    task = state.createTask(a.task_id, {
      status: PENDING,
      deps: a.deps ?? [],
      time: now,
      priority: a.priority,
      resources,
      family: state.intern(a.family),
      module: a.module === null ? null : state.intern(a.module),
      params: a.params ?? {},
      paramVisibilities: internVisibilities(a.param_visibilities ?? EMPTY),
      retryPolicy: policy,
    });
  }
  if (!task || (task.status !== RUNNING && worker.disabled)) return;
  // 4. cooldown: a PENDING claim right after DONE is ignored
  if (a.status === PENDING && task.status === DONE && now - task.updated < ctx.config.stableDoneCooldownSecs) return;
  fillIn(ctx, task, a, worker.id);
  gateAndSetStatus(ctx, task, a, worker.id);
  // 11. dependencies
  if (a.deps !== null && !sameIds(task.deps, a.deps)) state.replaceDeps(task, a.deps);
  if (a.new_deps !== null && a.new_deps.length > 0) state.replaceDeps(task, [...task.deps, ...a.new_deps]);
  // 12. declared resources, always (a null resets them to {})
  if (!sameResources(task.resources, resources)) state.modify(task, () => (task.resources = resources));
  // 13. stakeholders, and placeholders for unknown dependencies
  if (!worker.disabled && !truthy(a.assistant)) {
    state.addStakeholder(task, worker);
    for (const dep of task.deps) {
      let t = state.tasks.get(dep);
      if (!t) {
        t = state.createTask(dep, { status: UNKNOWN, deps: NO_IDS, time: now, priority: a.priority, resources: EMPTY as Resources, family: "", module: null, params: {}, paramVisibilities: EMPTY as Record<string, unknown>, retryPolicy: defaultPolicy(ctx) });
      }
      state.addStakeholder(t, worker);
    }
  }
  // 14. priority only increases, and propagates down the DAG
  raisePriority(ctx, task, a.priority);
  // 15. retry policy
  task.retryPolicy = policy;
  // 16. this worker may run it
  if (truthy(a.runnable) && a.status !== FAILED && !worker.disabled) {
    state.addTaskWorker(task, worker);
    task.runnable = true;
  }
  state.touch(task);
}

/** Steps 5–8: fill-in of descriptive fields, batch claim, messages, tracking URL, expl. */
function fillIn(ctx: Ctx, task: Task, a: AddTaskArgs, workerId: string): void {
  const { state, now } = ctx;
  if (!task.family) task.family = state.intern(a.family);
  if (!task.module && a.module !== null) task.module = state.intern(a.module);
  if (isEmpty(task.paramVisibilities)) task.paramVisibilities = internVisibilities(a.param_visibilities ?? EMPTY);
  if (isEmpty(task.params)) task.params = a.params ?? {};
  if (a.batch_id !== null) task.batchId = a.batch_id;
  if (a.status === RUNNING && !task.workerRunning) {
    task.workerRunning = workerId;
    if (a.batch_id) {
      const members = batchMembers(ctx, a.batch_id);
      // luigid copies the first member's running resources (and would crash with no member)
      if (members.length > 0) task.resourcesRunning = { ...(members[0].resourcesRunning ?? {}) };
    }
    task.timeRunning = now;
  }
  if (a.accepts_messages !== null) task.acceptsMessages = Boolean(a.accepts_messages);
  if (a.tracking_url !== null || task.status !== RUNNING) {
    task.trackingUrl = a.tracking_url;
    if (task.batchId !== null) {
      for (const m of batchMembers(ctx, task.batchId)) {
        m.trackingUrl = a.tracking_url;
        state.touch(m);
      }
    }
  }
  if (a.batchable !== null) task.batchable = Boolean(a.batchable);
  task.remove = null;
  if (a.expl !== null) {
    task.expl = a.expl;
    if (task.batchId !== null) {
      for (const m of batchMembers(ctx, task.batchId)) {
        m.expl = a.expl;
        state.touch(m);
      }
    }
  }
  state.touch(task);
}

/** Step 9: the status gate that makes several workers safe, plus luigid's history event. */
function gateAndSetStatus(ctx: Ctx, task: Task, a: AddTaskArgs, workerId: string): void {
  const notRunning = task.status !== RUNNING && task.status !== BATCH_RUNNING;
  const startedARun = a.status === DONE || a.status === FAILED || a.status === RUNNING;
  const onThisWorker = task.workerRunning === workerId;
  if (!(notRunning || (startedARun && onThisWorker) || truthy(a.new_deps))) return;
  if (a.status !== task.status || a.status === PENDING) {
    if (a.status === PENDING || a.status === RUNNING || a.status === DONE || a.status === FAILED) {
      ctx.state.recordEvent({ task, status: a.status, ts: ctx.now, host: null, origin: "rpc" });
    }
  }
  setStatus(ctx, task, (a.status === SUSPENDED ? PENDING : a.status) as Status);
}

export function defaultPolicy(ctx: Ctx): RetryPolicy {
  const c = ctx.config;
  return internPolicy({ retryCount: c.retryCount, disableHardTimeout: c.disableHardTimeout, disableWindow: c.disableWindow });
}

function retryPolicy(ctx: Ctx, dict: Record<string, number | null> | null): RetryPolicy {
  const c = ctx.config;
  if (!dict) return defaultPolicy(ctx);
  return internPolicy({
    retryCount: typeof dict.retry_count === "number" ? dict.retry_count : c.retryCount,
    disableHardTimeout: typeof dict.disable_hard_timeout === "number" ? dict.disable_hard_timeout : c.disableHardTimeout,
    disableWindow: typeof dict.disable_window === "number" ? dict.disable_window : c.disableWindow,
  });
}

/** luigid's _update_priority, without recursion (chains can be deep). */
function raisePriority(ctx: Ctx, root: Task, priority: number): void {
  const stack: Array<[Task, number]> = [[root, priority]];
  while (stack.length > 0) {
    const [task, wanted] = stack.pop()!;
    const prio = Math.max(wanted, task.priority);
    if (prio !== task.priority) ctx.state.modify(task, () => (task.priority = prio));
    for (const dep of task.deps) {
      const t = ctx.state.tasks.get(dep);
      if (t && prio > t.priority) stack.push([t, prio]);
    }
  }
}

function sameIds(current: string[], given: string[]): boolean {
  if (current.length !== given.length) return false;
  for (let i = 0; i < given.length; i++) if (current[i] !== given[i]) return false;
  return true;
}

function sameResources(a: Resources, b: Resources): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
