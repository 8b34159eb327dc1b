import { EMPTY, internPolicy, internVisibilities, Task, Worker, type RetryPolicy } from "@/lib/scheduler/core/records";
import { isStatus } from "@/lib/scheduler/core/transitions";

// Conversion between in-memory records and rows of scheduler_tasks / scheduler_workers. The
// columns that dashboards may query are separate; everything else is one JSON document.

export type TaskRow = { task_id: string; seq: string | number; status: string; history_id: number | null; data: Record<string, unknown> };
export type WorkerRow = { worker_id: string; last_active: number; disabled: boolean; data: Record<string, unknown> };

export function taskData(t: Task): Record<string, unknown> {
  return {
    deps: t.deps,
    stakeholders: t.stakeholders,
    workers: t.workers,
    workerRunning: t.workerRunning,
    time: t.time,
    updated: t.updated,
    timeRunning: t.timeRunning,
    retry: t.retry,
    remove: t.remove,
    expl: t.expl,
    priority: t.priority,
    resources: t.resources,
    resourcesRunning: t.resourcesRunning,
    family: t.family,
    module: t.module,
    params: t.params,
    paramVisibilities: t.paramVisibilities,
    acceptsMessages: t.acceptsMessages,
    retryPolicy: t.retryPolicy,
    failures: t.failures,
    firstFailureTime: t.firstFailureTime,
    trackingUrl: t.trackingUrl,
    statusMessage: t.statusMessage,
    progressPercentage: t.progressPercentage,
    messageResponses: t.messageResponses,
    schedulerDisableTime: t.schedulerDisableTime,
    runnable: t.runnable,
    batchable: t.batchable,
    batchId: t.batchId,
  };
}

const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0 ? (v as Record<string, never>) : EMPTY);

export function taskFromRow(row: TaskRow, intern: (s: string) => string): Task {
  const d = row.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- our own document
  const status = isStatus(row.status) ? row.status : "PENDING";
  const task = new Task(row.task_id, Number(row.seq), {
    status,
    deps: Array.isArray(d.deps) ? d.deps : [],
    time: Number(d.time),
    priority: Number(d.priority ?? 0),
    resources: obj(d.resources),
    family: intern(String(d.family ?? "")),
    module: d.module == null ? null : intern(String(d.module)),
    params: d.params ?? {},
    paramVisibilities: internVisibilities(obj(d.paramVisibilities)),
    retryPolicy: d.retryPolicy ? internPolicy(d.retryPolicy as RetryPolicy) : (d.retryPolicy as RetryPolicy),
  });
  task.stakeholders = (d.stakeholders ?? []).map(intern);
  task.workers = (d.workers ?? []).map(intern);
  task.workerRunning = d.workerRunning ?? null;
  task.updated = Number(d.updated ?? d.time);
  Object.assign(task, {
    timeRunning: d.timeRunning ?? null,
    retry: d.retry ?? null,
    remove: d.remove ?? null,
    expl: d.expl ?? null,
    resourcesRunning: d.resourcesRunning ?? null,
    acceptsMessages: Boolean(d.acceptsMessages),
    failures: d.failures ?? [],
    firstFailureTime: d.firstFailureTime ?? null,
    trackingUrl: d.trackingUrl ?? null,
    statusMessage: d.statusMessage ?? null,
    progressPercentage: d.progressPercentage ?? null,
    messageResponses: d.messageResponses ?? null,
    schedulerDisableTime: d.schedulerDisableTime ?? null,
    runnable: Boolean(d.runnable),
    batchable: Boolean(d.batchable),
    batchId: d.batchId ?? null,
    historyId: row.history_id,
  });
  return task;
}

export function workerData(w: Worker): Record<string, unknown> {
  return { seq: w.seq, reference: w.reference, lastGetWork: w.lastGetWork, started: w.started, info: w.info, rpcMessages: w.rpcMessages };
}

export function workerFromRow(row: WorkerRow): Worker {
  const d = row.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- our own document
  const w = new Worker(row.worker_id, Number(row.last_active), Number(d.started ?? row.last_active), Number(d.seq ?? 0));
  w.reference = d.reference ?? null;
  w.lastGetWork = d.lastGetWork ?? null;
  w.info = d.info ?? {};
  w.disabled = row.disabled;
  w.rpcMessages = d.rpcMessages ?? [];
  return w;
}
