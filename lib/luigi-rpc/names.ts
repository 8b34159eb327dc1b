// Luigi's vocabulary on the wire, declared once for every part that speaks it: the task statuses
// (SPEC §3) and the RPC methods (SPEC §2), with the operator methods — those a person uses to
// change the scheduler's state, which the scheduler audits — picked out.

export const TASK_STATUSES = ["PENDING", "RUNNING", "DONE", "FAILED", "DISABLED", "UNKNOWN", "BATCH_RUNNING"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** State changes a person makes (the visualiser's buttons, the dashboard's task actions, scripts). */
export const OPERATOR_METHODS = [
  "mark_as_done",
  "forgive_failures",
  "re_enable_task",
  "disable_worker",
  "set_worker_processes",
  "pause",
  "unpause",
  "update_resource",
  "update_resources",
  "send_scheduler_message",
  "prune",
] as const;
export type OperatorMethod = (typeof OPERATOR_METHODS)[number];

/** What workers call while they schedule and run tasks; never audited. */
export const WORKER_METHODS = [
  "add_task",
  "add_task_batcher",
  "add_worker",
  "get_work",
  "count_pending",
  "ping",
  "announce_scheduling_failure",
  "set_task_status_message",
  "set_task_progress_percentage",
  "decrease_running_task_resources",
  "add_scheduler_message_response",
  "report_task_statistics",
  "update_metrics_task_started",
] as const;

/** Reads: the visualiser's and the dashboard's queries. */
export const READ_METHODS = [
  "task_list",
  "worker_list",
  "resource_list",
  "dep_graph",
  "inverse_dep_graph",
  "fetch_error",
  "get_task_status_message",
  "get_task_progress_percentage",
  "get_scheduler_message_response",
  "has_task_history",
  "is_pause_enabled",
  "is_paused",
  "graph",
  "task_search",
  "get_running_task_resources",
] as const;

/** Switchyard's own, beyond Luigi's: the runner's word that a launched run has ended (never audited). */
export const RUNNER_METHODS = ["release_run_workers"] as const;

export const RPC_METHODS = [...WORKER_METHODS, ...READ_METHODS, ...OPERATOR_METHODS, ...RUNNER_METHODS] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

const operator = new Set<string>(OPERATOR_METHODS);
export function isOperatorMethod(method: string): method is OperatorMethod {
  return operator.has(method);
}
