import type { Ctx } from "@/lib/scheduler/core/context";
import { equalsInt, pyStr } from "@/lib/scheduler/core/python";
import { isEmpty, type Params, type Task } from "@/lib/scheduler/core/records";
import { DISABLED, RUNNING } from "@/lib/scheduler/core/transitions";
import type { ByteWriter } from "@/lib/scheduler/http/byte-writer";
import { writeTaskBytes } from "@/lib/scheduler/core/task-bytes";
import { encodeJson, JsonPieces, quote } from "@/lib/scheduler/http/python-json";

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
  return prettyIdOf(task, publicParams(task));
}

function prettyIdOf(task: Task, params: Params): string {
  const keys = sortedKeys(params);
  let out = task.family + "(";
  for (let i = 0; i < keys.length; i++) out += (i > 0 ? ", " : "") + keys[i] + "=" + pyStr(params[keys[i]]);
  return out + ")";
}

export function sortedKeys(params: Params): string[] {
  const keys = Object.keys(params);
  for (let i = 1; i < keys.length; i++) {
    if (comparePython(keys[i - 1], keys[i]) > 0) {
      keys.sort(comparePython);
      break;
    }
  }
  return keys;
}

/** Python sorts str by code point; JS's default compares UTF-16 units (differs only off the BMP). */
export function comparePython(a: string, b: string): number {
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
 * MB, and building objects first then encoding them generically takes seconds. The text is written
 * when the reply is encoded, as pieces joined once per task (profile: GC was a quarter of task_list
 * when each task was a rope of ~30 `+`). `quoteId` memoises the quoting of strings repeated across
 * tasks (worker ids, families, param names) within one request.
 */
export function serializeTaskText(ctx: Ctx, task: Task, quoteId: (s: string) => string): JsonPieces {
  return new TaskJson(ctx.config.sendMessages, task, quoteId);
}

class TaskJson extends JsonPieces {
  constructor(
    private readonly sendMessages: boolean,
    private readonly task: Task,
    private readonly quoteId: (s: string) => string,
  ) {
    super();
  }

  writeTo(p: string[]): void {
    const { task, quoteId } = this;
    const params = publicParams(task);
    p.push('{"display_name": ', quote(prettyIdOf(task, params)), ', "status": "', task.status, '", "workers": [');
    for (let i = 0; i < task.workers.length; i++) p.push(i > 0 ? ", " : "", quoteId(task.workers[i]));
    p.push('], "worker_running": ', task.workerRunning === null ? "null" : quoteId(task.workerRunning), ', "time_running": ', num(task.timeRunning));
    p.push(', "start_time": ', num(task.time), ', "last_updated": ', num(task.updated), ', "params": {');
    let first = true;
    for (const key in params) {
      const v = params[key];
      if (v === undefined) continue;
      p.push(first ? "" : ", ", quoteId(key), ": ", typeof v === "string" ? quote(v) : encodeJson(v));
      first = false;
    }
    p.push('}, "name": ', quoteId(task.family), ', "priority": ', num(task.priority), ', "resources": ', isEmpty(task.resources) ? "{}" : encodeJson(task.resources));
    p.push(', "resources_running": ', encodeJson(task.resourcesRunning), ', "tracking_url": ', encodeJson(task.trackingUrl));
    p.push(', "status_message": ', encodeJson(task.statusMessage), ', "progress_percentage": ', encodeJson(task.progressPercentage));
    if (task.status === DISABLED) p.push(', "re_enable_able": ', String(task.schedulerDisableTime !== null));
    if (this.sendMessages && task.status === RUNNING) p.push(', "accepts_messages": ', String(task.acceptsMessages));
    p.push("}");
  }

  /** The same text as writeTo, written as bytes (see ByteWriter): task_list's fast path. */
  writeBytes(w: ByteWriter): void {
    writeTaskBytes(w, this.task, this.sendMessages);
  }
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
  return n === null ? "null" : numberText(n);
}

/**
 * String(n), faster for the scheduler's timestamps (epoch seconds from Date.now() / 1000, so at
 * most 3 decimals): formatting a double costs ~0.5 µs, 2 per task in task_list. For 0 <= n < 1e12
 * whose value is exactly ms / 1000, "I.FFF" without trailing zeros is String(n): it reads back as
 * n, and no shorter decimal does (neighbouring 3-decimal values are distinct doubles there).
 */
export function numberText(n: number): string {
  if (!(n >= 0 && n < 1e12)) return String(n);
  const ms = Math.round(n * 1000);
  if (ms / 1000 !== n) return String(n);
  const whole = Math.floor(ms / 1000);
  let frac = ms - whole * 1000;
  if (frac === 0) return String(whole);
  let digits = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${whole}.${String(frac).padStart(digits, "0")}`;
}
