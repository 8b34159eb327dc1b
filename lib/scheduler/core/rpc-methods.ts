import * as c from "@/lib/scheduler/core/checks";
import { BadArguments, type Check } from "@/lib/scheduler/core/checks";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";

// The 39 RPC methods of SPEC §2.1, and release_run_workers (Switchyard's own), as Python signatures: argument names, defaults, whether extra
// keywords are accepted (**kwargs), and a check per argument. Binding follows Python: an unknown
// key on a method without **kwargs, or a missing required argument, is an error (luigid: 500).
// `write` marks methods whose purpose is to change state: while the database is unreachable they
// are refused with 503 before running, instead of acknowledging something not durable.

const REQUIRED = Symbol("required");
type Param = [name: string, check: Check, fallback?: unknown];
export type MethodSpec = { params: Param[]; names: ReadonlySet<string>; varkw: boolean; write: boolean; run: (s: Scheduler, args: Record<string, unknown>) => unknown };

const m = (params: Param[], run: MethodSpec["run"], opts: { varkw?: boolean; write?: boolean } = {}): MethodSpec => ({
  params,
  names: new Set(params.map((p) => p[0])),
  run,
  varkw: opts.varkw ?? false,
  write: opts.write ?? false,
});
const req = (name: string, check: Check = c.any): Param => [name, check, REQUIRED];
const opt = (name: string, check: Check, fallback: unknown): Param => [name, check, fallback];
/* eslint-disable @typescript-eslint/no-explicit-any -- args are checked by the table above the call */
const call = (fn: (s: Scheduler, a: any) => unknown) => fn;

export const METHODS: Record<string, MethodSpec> = {
  add_task: m(
    [
      opt("task_id", c.str, null), opt("status", c.status, "PENDING"), opt("runnable", c.any, true), opt("deps", c.idList, null),
      opt("new_deps", c.idList, null), opt("expl", c.any, null), opt("resources", c.amountsOrNull, null), opt("priority", c.finite, 0),
      opt("family", c.filterStr, ""), opt("module", c.strOrNull, null), opt("params", c.objectOrNull, null),
      opt("param_visibilities", c.objectOrNull, null), opt("accepts_messages", c.boolOrNull, false), opt("assistant", c.any, false),
      opt("tracking_url", c.any, null), req("worker", c.str), opt("batchable", c.boolOrNull, null), opt("batch_id", c.strOrNull, null),
      opt("retry_policy_dict", c.retryPolicy, null), opt("owners", c.any, null),
    ],
    call((s, a) => {
      if (a.task_id === null) throw new BadArguments("argument 'task_id' is required");
      return s.add_task(a);
    }),
    { varkw: true, write: true },
  ),
  add_task_batcher: m([req("worker", c.str), req("task_family", c.str), req("batched_args", c.strList), opt("max_batch_size", c.positiveOrInf, Infinity)], call((s, a) => s.add_task_batcher(a)), { write: true }),
  add_worker: m([req("worker", c.str), req("info", c.workerInfo)], call((s, a) => s.add_worker(a)), { varkw: true, write: true }),
  get_work: m([opt("host", c.any, null), opt("assistant", c.any, false), opt("current_tasks", c.idList, null), opt("worker", c.str, null)], call((s, a) => {
    if (a.worker === null) throw new BadArguments("argument 'worker' is required");
    return s.get_work(a);
  }), { varkw: true, write: true }),
  count_pending: m([req("worker", c.str)], call((s, a) => s.count_pending(a))),
  ping: m([opt("worker", c.str, null)], call((s, a) => {
    if (a.worker === null) throw new BadArguments("argument 'worker' is required");
    return s.ping(a);
  }), { varkw: true, write: true }),
  announce_scheduling_failure: m([req("task_name"), req("family"), req("params"), req("expl"), req("owners")], () => null, { varkw: true }),
  set_task_status_message: m([req("task_id", c.str), req("status_message")], call((s, a) => s.set_task_status_message(a)), { write: true }),
  set_task_progress_percentage: m([req("task_id", c.str), req("progress_percentage")], call((s, a) => s.set_task_progress_percentage(a)), { write: true }),
  decrease_running_task_resources: m([req("task_id", c.str), req("decrease_resources", c.amounts)], call((s, a) => s.decrease_running_task_resources(a)), { write: true }),
  add_scheduler_message_response: m([req("task_id", c.str), req("message_id", c.key), req("response")], call((s, a) => s.add_scheduler_message_response(a)), { write: true }),
  report_task_statistics: m([req("task_id"), req("statistics")], () => null),
  task_list: m(
    [opt("status", c.filterStr, ""), opt("upstream_status", c.filterStr, ""), opt("limit", c.any, true), opt("search", c.strOrNull, null), opt("max_shown_tasks", c.any, null)],
    call((s, a) => s.task_list(a)),
    { varkw: true },
  ),
  worker_list: m([opt("include_running", c.any, true)], call((s, a) => s.worker_list(a)), { varkw: true }),
  resource_list: m([], (s) => s.resource_list()),
  dep_graph: m([req("task_id", c.str), opt("include_done", c.any, true)], call((s, a) => s.dep_graph(a)), { varkw: true }),
  inverse_dep_graph: m([req("task_id", c.str), opt("include_done", c.any, true)], call((s, a) => s.inverse_dep_graph(a)), { varkw: true }),
  fetch_error: m([req("task_id", c.str)], call((s, a) => s.fetch_error(a)), { varkw: true }),
  get_task_status_message: m([req("task_id", c.str)], call((s, a) => s.get_task_status_message(a))),
  get_task_progress_percentage: m([req("task_id", c.str)], call((s, a) => s.get_task_progress_percentage(a))),
  get_scheduler_message_response: m([req("task_id", c.str), req("message_id", c.key)], call((s, a) => s.get_scheduler_message_response(a))),
  has_task_history: m([], (s) => s.has_task_history()),
  is_pause_enabled: m([], (s) => s.is_pause_enabled()),
  is_paused: m([], (s) => s.is_paused()),
  forgive_failures: m([opt("task_id", c.strOrNull, null)], call((s, a) => s.forgive_failures(a)), { write: true }),
  mark_as_done: m([opt("task_id", c.strOrNull, null)], call((s, a) => s.mark_as_done(a)), { write: true }),
  re_enable_task: m([req("task_id", c.str)], call((s, a) => s.re_enable_task(a)), { write: true }),
  disable_worker: m([req("worker", c.str)], call((s, a) => s.disable_worker(a)), { write: true }),
  set_worker_processes: m([req("worker", c.str), req("n")], call((s, a) => s.set_worker_processes(a)), { write: true }),
  send_scheduler_message: m([req("worker", c.str), req("task"), req("content")], call((s, a) => s.send_scheduler_message(a)), { write: true }),
  pause: m([], (s) => s.pause(), { write: true }),
  unpause: m([], (s) => s.unpause(), { write: true }),
  update_resource: m([req("resource", c.str), req("amount")], call((s, a) => s.update_resource(a)), { write: true }),
  update_resources: m([], (s, a) => s.update_resources(c.amounts(a, "resources") as Record<string, number>), { varkw: true, write: true }),
  prune: m([], (s) => s.prune(), { write: true }),
  graph: m([], (s) => s.graph(), { varkw: true }),
  task_search: m([req("task_str", c.str)], call((s, a) => s.task_search(a)), { varkw: true }),
  get_running_task_resources: m([req("task_id", c.str)], call((s, a) => s.get_running_task_resources(a))),
  update_metrics_task_started: m([req("task")], () => null),
  // Switchyard's one method beyond Luigi's (run-workers.ts): a launched run has ended.
  release_run_workers: m([req("run_id", c.runId)], call((s, a) => s.release_run_workers(a)), { write: true }),
};

/** Python keyword binding: defaults filled in, unknown keys rejected unless **kwargs. */
export function bindArguments(method: string, spec: MethodSpec, data: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    if (spec.names.has(k)) continue;
    if (method === "update_resources") finiteOnly(data[k], k, 0);
    if (!spec.varkw) throw new BadArguments(`${method}() got an unexpected keyword argument '${k}'`);
    if (method === "update_resources") args[k] = data[k]; // its **kwargs are the data
  }
  for (const [name, check, fallback] of spec.params) {
    if (Object.prototype.hasOwnProperty.call(data, name) && name !== "max_batch_size") finiteOnly(data[name], name, 0);
    if (Object.prototype.hasOwnProperty.call(data, name)) args[name] = check(data[name], name);
    else if (fallback === REQUIRED) throw new BadArguments(`${method}() missing required argument '${name}'`);
    else args[name] = fallback;
  }
  return args;
}

/**
 * Python workers send Infinity only as add_task_batcher's max_batch_size. Anywhere else a
 * non-finite number could not be stored as JSON (it would come back as null after a restart), so
 * it is refused rather than silently changed.
 */
function finiteOnly(value: unknown, name: string, depth: number): void {
  if (typeof value === "number" && !Number.isFinite(value)) throw new BadArguments(`argument '${name}' holds ${value}; non-finite numbers are only accepted for max_batch_size`);
  if (depth > 64 || typeof value !== "object" || value === null) return;
  for (const v of Array.isArray(value) ? value : Object.values(value)) finiteOnly(v, name, depth + 1);
}
