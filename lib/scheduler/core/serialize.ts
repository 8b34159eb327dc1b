import type { Ctx } from "@/lib/scheduler/core/context";
import { equalsInt, pyStr } from "@/lib/scheduler/core/python";
import type { Params, Task } from "@/lib/scheduler/core/records";
import { DISABLED, RUNNING } from "@/lib/scheduler/core/transitions";
import { encodeJson, quote, RawJson } from "@/lib/scheduler/http/python-json";

// Serialised shapes of SPEC §3.3, with luigid's key order.

export type SerializedTask = Record<string, unknown>;

/** Parameters with visibility PUBLIC (0, or absent). */
export function publicParams(task: Task): Params {
  const vis = task.paramVisibilities;
  let all = true;
  for (const key in task.params) if (key in vis && !equalsInt(vis[key], 0)) all = false;
  if (all) return task.params;
  const out: Params = {};
  for (const key in task.params) if (!(key in vis) || equalsInt(vis[key], 0)) out[key] = task.params[key];
  return out;
}

/** `Family(k1=v1, k2=v2)` over public params sorted by name (luigid's pretty_id). */
export function prettyId(task: Task): string {
  const params = publicParams(task);
  const keys = Object.keys(params).sort(comparePython);
  return `${task.family}(${keys.map((k) => `${k}=${pyStr(params[k])}`).join(", ")})`;
}

/** Python sorts str by code point; JS's default compares UTF-16 units (differs only off the BMP). */
function comparePython(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function serializeTask(ctx: Ctx, task: Task, opts: { deps?: string[] | null } = {}): SerializedTask {
  const out: SerializedTask = {
    display_name: prettyId(task),
    status: task.status,
    workers: task.workers.slice(),
    worker_running: task.workerRunning,
    time_running: task.timeRunning,
    start_time: task.time,
    last_updated: task.updated,
    params: publicParams(task),
    name: task.family,
    priority: task.priority,
    resources: task.resources,
    resources_running: task.resourcesRunning,
    tracking_url: task.trackingUrl,
    status_message: task.statusMessage,
    progress_percentage: task.progressPercentage,
  };
  if (task.status === DISABLED) out.re_enable_able = task.schedulerDisableTime !== null;
  if (opts.deps) out.deps = opts.deps;
  if (ctx.config.sendMessages && task.status === RUNNING) out.accepts_messages = task.acceptsMessages;
  return out;
}

const FAMILY_RE = /^([^(_]+)[(_]/;

/** Graph node for a dependency the scheduler knows nothing about (no family). */
export function placeholderNode(id: string): SerializedTask {
  const match = FAMILY_RE.exec(id);
  return { deps: [], status: "UNKNOWN", workers: [], start_time: "UNKNOWN", params: { task_id: id }, name: match ? match[1] : "UNKNOWN", display_name: id, priority: 0 };
}

/**
 * serializeTask() written straight to Tornado-style JSON text: task_list of 50k tasks is tens of
 * MB, and building objects first then encoding them generically takes seconds. `quoteId` memoises
 * the quoting of strings repeated across tasks (worker ids, families) within one request.
 */
export function serializeTaskText(ctx: Ctx, task: Task, quoteId: (s: string) => string): RawJson {
  let text =
    `{"display_name": ${quote(prettyId(task))}, "status": "${task.status}", "workers": [${task.workers.map(quoteId).join(", ")}], ` +
    `"worker_running": ${task.workerRunning === null ? "null" : quoteId(task.workerRunning)}, "time_running": ${num(task.timeRunning)}, ` +
    `"start_time": ${num(task.time)}, "last_updated": ${num(task.updated)}, "params": ${encodeJson(publicParams(task))}, "name": ${quoteId(task.family)}, ` +
    `"priority": ${num(task.priority)}, "resources": ${encodeJson(task.resources)}, "resources_running": ${encodeJson(task.resourcesRunning)}, ` +
    `"tracking_url": ${encodeJson(task.trackingUrl)}, "status_message": ${encodeJson(task.statusMessage)}, "progress_percentage": ${encodeJson(task.progressPercentage)}`;
  if (task.status === DISABLED) text += `, "re_enable_able": ${task.schedulerDisableTime !== null}`;
  if (ctx.config.sendMessages && task.status === RUNNING) text += `, "accepts_messages": ${task.acceptsMessages}`;
  return new RawJson(text + "}");
}

export function quoteMemo(): (s: string) => string {
  const memo = new Map<string, string>();
  return (s) => {
    let q = memo.get(s);
    if (q === undefined) memo.set(s, (q = quote(s)));
    return q;
  };
}

// module scope on purpose: a closure inside the hot function costs an allocation per task
function num(n: number | null): string {
  return n === null ? "null" : String(n);
}
