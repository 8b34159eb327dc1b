import { EMPTY, internPolicy, internVisibilities, isEmpty, NO_IDS, Task, Worker, type Params, type RetryPolicy } from "@/lib/scheduler/core/records";
import type { SchedulerState } from "@/lib/scheduler/core/state";
import { isStatus } from "@/lib/scheduler/core/transitions";

// Conversion between in-memory records and rows of scheduler_tasks / scheduler_workers. The
// columns that dashboards may query are separate; everything else is one JSON document.

export type TaskRow = { task_id: string; seq: string | number; status: string; history_id: number | null; data: Record<string, unknown> };
export type WorkerRow = { worker_id: string; last_active: number; disabled: boolean; data: Record<string, unknown> };

/**
 * The row document of a task. Fields at their default (null, false, empty) are left out: at 500k
 * tasks the full document was ~950 bytes a row, and parsing it back was a fifth of a restore;
 * taskFromRow reads a missing field as its default.
 */
export function taskData(t: Task): Record<string, unknown> {
  const d: Record<string, unknown> = { deps: t.deps, stakeholders: t.stakeholders, workers: t.workers, time: t.time, family: t.family, params: t.params };
  if (t.updated !== t.time) d.updated = t.updated;
  if (t.priority !== 0) d.priority = t.priority;
  if (t.module !== null) d.module = t.module;
  if (!isEmpty(t.paramVisibilities)) d.paramVisibilities = t.paramVisibilities;
  if (!isEmpty(t.resources)) d.resources = t.resources;
  if (t.runnable) d.runnable = true;
  if (t.batchable) d.batchable = true;
  if (!isDefaultPolicy(t.retryPolicy)) d.retryPolicy = t.retryPolicy;
  // one test per field, no object of them to walk: this runs for every task of every group commit
  if (t.workerRunning != null) d.workerRunning = t.workerRunning;
  if (t.timeRunning != null) d.timeRunning = t.timeRunning;
  if (t.retry != null) d.retry = t.retry;
  if (t.remove != null) d.remove = t.remove;
  if (t.expl != null) d.expl = t.expl;
  if (t.resourcesRunning != null) d.resourcesRunning = t.resourcesRunning;
  if (t.firstFailureTime != null) d.firstFailureTime = t.firstFailureTime;
  if (t.trackingUrl != null) d.trackingUrl = t.trackingUrl;
  if (t.statusMessage != null) d.statusMessage = t.statusMessage;
  if (t.progressPercentage != null) d.progressPercentage = t.progressPercentage;
  if (t.messageResponses != null) d.messageResponses = t.messageResponses;
  if (t.schedulerDisableTime != null) d.schedulerDisableTime = t.schedulerDisableTime;
  if (t.batchId != null) d.batchId = t.batchId;
  if (t.acceptsMessages) d.acceptsMessages = true;
  if (t.failures.length > 0) d.failures = t.failures;
  return d;
}

/** A policy left out of the document reads back as this one (the scheduler's defaults). */
const DEFAULT_POLICY: RetryPolicy = internPolicy({ retryCount: 999999999, disableHardTimeout: 999999999, disableWindow: 3600 });

function isDefaultPolicy(p: RetryPolicy | undefined): boolean {
  return p === DEFAULT_POLICY || (p !== undefined && p.retryCount === DEFAULT_POLICY.retryCount && p.disableHardTimeout === DEFAULT_POLICY.disableHardTimeout && p.disableWindow === DEFAULT_POLICY.disableWindow);
}

const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) && !isEmpty(v) ? (v as Record<string, never>) : EMPTY);
const NO_PARAMS: Params = Object.freeze({}) as Params;

/**
 * A task from its row. Plain field stores, no intermediate objects and no closure per row (tsx
 * names each one with a defineProperty call, 2 % of a 500k restore's CPU): at 500k tasks every
 * allocation per row shows in the restore's garbage collection.
 */
export function taskFromRow(row: TaskRow, state: Pick<SchedulerState, "intern" | "restoredWorkerIds">): Task {
  const d = row.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- our own document
  const status = isStatus(row.status) ? row.status : "PENDING";
  const time = Number(d.time);
  const task = new Task(row.task_id, Number(row.seq), {
    status,
    deps: Array.isArray(d.deps) && d.deps.length > 0 ? d.deps : NO_IDS, // made canonical by finishLoad
    time,
    priority: d.priority === undefined ? 0 : Number(d.priority),
    resources: d.resources === undefined ? EMPTY : obj(d.resources),
    family: state.intern(String(d.family ?? "")),
    module: d.module == null ? null : state.intern(String(d.module)),
    params: d.params && !isEmpty(d.params) ? d.params : NO_PARAMS,
    paramVisibilities: d.paramVisibilities === undefined ? EMPTY : internVisibilities(obj(d.paramVisibilities)),
    retryPolicy: d.retryPolicy ? internPolicy(d.retryPolicy as RetryPolicy) : DEFAULT_POLICY,
    runnable: Boolean(d.runnable),
    batchable: Boolean(d.batchable),
  });
  task.stakeholders = Array.isArray(d.stakeholders) ? state.restoredWorkerIds(d.stakeholders) : NO_IDS;
  task.workers = Array.isArray(d.workers) ? state.restoredWorkerIds(d.workers) : NO_IDS;
  if (d.workerRunning != null) task.workerRunning = state.intern(d.workerRunning);
  if (d.updated != null && Number(d.updated) !== time) task.updated = Number(d.updated);
  if (d.timeRunning != null) task.timeRunning = d.timeRunning;
  if (d.expl != null) task.expl = d.expl;
  if (d.resourcesRunning != null) task.resourcesRunning = d.resourcesRunning;
  task.historyId = row.history_id;
  // the rarely set fields: each setter allocates the task's own TaskExtra only for a real value
  if (d.retry != null) task.retry = d.retry;
  if (d.remove != null) task.remove = d.remove;
  if (d.acceptsMessages) task.acceptsMessages = true;
  if (Array.isArray(d.failures) && d.failures.length > 0) task.failures = d.failures;
  if (d.firstFailureTime != null) task.firstFailureTime = d.firstFailureTime;
  if (d.trackingUrl != null) task.trackingUrl = d.trackingUrl;
  if (d.statusMessage != null) task.statusMessage = d.statusMessage;
  if (d.progressPercentage != null) task.progressPercentage = d.progressPercentage;
  if (d.messageResponses != null) task.messageResponses = d.messageResponses;
  if (d.schedulerDisableTime != null) task.schedulerDisableTime = d.schedulerDisableTime;
  if (d.batchId != null) task.batchId = d.batchId;
  return task;
}

export function workerData(w: Worker): Record<string, unknown> {
  return { seq: w.seq, reference: w.reference, lastGetWork: w.lastGetWork, started: w.started, info: w.info, rpcMessages: w.rpcMessages, run: w.run ?? undefined };
}

export function workerFromRow(row: WorkerRow): Worker {
  const d = row.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- our own document
  const w = new Worker(row.worker_id, Number(row.last_active), Number(d.started ?? row.last_active), Number(d.seq ?? 0));
  w.reference = d.reference ?? null;
  w.lastGetWork = d.lastGetWork ?? null;
  w.info = d.info ?? {};
  w.disabled = row.disabled;
  w.rpcMessages = d.rpcMessages ?? [];
  w.run = typeof d.run === "number" ? d.run : null;
  return w;
}
