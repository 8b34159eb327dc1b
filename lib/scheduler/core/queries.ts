import type { Ctx } from "@/lib/scheduler/core/context";
import { usedResources } from "@/lib/scheduler/core/get-work";
import { truthy } from "@/lib/scheduler/core/python";
import type { Task, Worker } from "@/lib/scheduler/core/records";
import { prettyId, quoteMemo, serializeTask, serializeTaskText, type SerializedTask } from "@/lib/scheduler/core/serialize";
import type { JsonPieces } from "@/lib/scheduler/http/python-json";
import { PENDING, RUNNING, type Status } from "@/lib/scheduler/core/transitions";
import { upstreamStatus } from "@/lib/scheduler/core/upstream";

// The read methods behind the visualiser (SPEC §7.4–§7.7). Each takes a `prune` callback because
// luigid prunes at their start (after task_list's early count check). Maps keep key order the way
// luigid's dicts do, including numeric-looking task ids.

export type TaskListArgs = { status: string; upstream_status: string; limit: unknown; search: string | null; max_shown_tasks: unknown };

export function taskList(ctx: Ctx, a: TaskListArgs, prune: () => void): Map<string, JsonPieces> | { num_tasks: number } {
  const { state } = ctx;
  const cap = truthy(a.max_shown_tasks) && typeof a.max_shown_tasks === "number" ? a.max_shown_tasks : ctx.config.maxShownTasks;
  if (!truthy(a.search)) {
    const pre = a.status ? state.count(a.status as Status) : state.tasks.size;
    if (truthy(a.limit) && pre > cap) return { num_tasks: a.upstream_status ? -1 : pre };
  }
  prune();
  // SPEC §7.4: every whitespace-separated term must occur, case-insensitively, in the display name
  const terms = a.search === null ? [] : a.search.toLowerCase().split(/\s+/).filter(Boolean);
  const pool: Iterable<Task> = a.status ? (state.byStatus.get(a.status as Status) ?? []) : state.tasks.values();
  const table = new Map<string, string>();
  const out = new Map<string, JsonPieces>();
  const quoteId = quoteMemo();
  for (const task of pool) {
    if (terms.length > 0) {
      const name = prettyId(task).toLowerCase();
      if (!terms.every((term) => name.includes(term))) continue;
    }
    if (task.status === PENDING && a.upstream_status && upstreamStatus(state, task.id, table) !== a.upstream_status) continue;
    out.set(task.id, serializeTaskText(ctx, task, quoteId));
  }
  if (truthy(a.limit) && out.size > cap) return { num_tasks: out.size };
  return out;
}

export function workerList(ctx: Ctx, includeRunning: unknown): Record<string, unknown>[] {
  const { state } = ctx;
  const rows = [...state.workers.values()].map((w) => ({ worker: w, row: workerRow(ctx, w) }));
  rows.sort((a, b) => b.worker.started - a.worker.started);
  if (!truthy(includeRunning)) return rows.map((r) => r.row);
  const running = new Map<string, Map<string, SerializedTask>>();
  for (const t of state.bucket(RUNNING)) {
    if (!t.workerRunning) continue;
    let m = running.get(t.workerRunning);
    if (!m) running.set(t.workerRunning, (m = new Map()));
    m.set(t.id, serializeTask(ctx, t));
  }
  const pending = new Map<string, number>();
  const uniques = new Map<string, number>();
  for (const t of state.bucket(PENDING)) {
    for (const w of t.workers) pending.set(w, (pending.get(w) ?? 0) + 1);
    if (t.workers.length === 1) uniques.set(t.workers[0], (uniques.get(t.workers[0]) ?? 0) + 1);
  }
  return rows.map(({ worker, row }) => {
    const tasks = running.get(worker.id) ?? new Map();
    return Object.assign(row, { num_running: tasks.size, num_pending: pending.get(worker.id) ?? 0, num_uniques: uniques.get(worker.id) ?? 0, running: tasks });
  });
}

function workerRow(ctx: Ctx, w: Worker): Record<string, unknown> {
  const first = w.info.first_task ?? "";
  const firstTask = typeof first === "string" ? ctx.state.tasks.get(first) : undefined;
  const row: Record<string, unknown> = {
    name: w.id,
    last_active: w.lastActive,
    started: w.started,
    state: w.disabled ? "disabled" : "active",
    first_task_display_name: firstTask ? prettyId(firstTask) : first,
    num_unread_rpc_messages: w.rpcMessages.length,
  };
  // Switchyard's addition: the runner's run this worker called through (/runs/<id>/api/…)
  if (w.run !== null) row.switchyard_run_id = w.run;
  // luigid would raise on an info key that collides with these (and answer 500 forever after);
  // the scheduler's own fields win instead.
  for (const [k, v] of Object.entries(w.info)) if (!(k in row)) row[k] = v;
  return row;
}

export function resourceList(ctx: Ctx): Record<string, unknown>[] {
  const used = usedResources(ctx);
  const consumers = new Map<string, Map<string, SerializedTask>>();
  for (const t of ctx.state.bucket(RUNNING)) {
    for (const r in t.resources) {
      let m = consumers.get(r);
      if (!m) consumers.set(r, (m = new Map()));
      m.set(t.id, serializeTask(ctx, t));
    }
  }
  return Object.entries(ctx.config.resources).map(([name, total]) => {
    const running = consumers.get(name) ?? new Map();
    return { name, num_total: total, num_used: used[name] ?? 0, num_consumer: running.size, running };
  });
}

export function taskSearch(ctx: Ctx, needle: string): Map<string, Map<string, SerializedTask>> {
  const out = new Map<string, Map<string, SerializedTask>>();
  for (const task of ctx.state.tasks.values()) {
    if (!task.id.includes(needle)) continue;
    let m = out.get(task.status);
    if (!m) out.set(task.status, (m = new Map()));
    m.set(task.id, serializeTask(ctx, task));
  }
  return out;
}

export function fetchError(ctx: Ctx, taskId: string): Record<string, unknown> {
  const task = ctx.state.tasks.get(taskId);
  if (!task) return { taskId, error: "" };
  return { taskId, error: task.expl, displayName: prettyId(task), taskParams: task.params, taskModule: task.module, taskFamily: task.family };
}
