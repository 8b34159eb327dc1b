import type { SchedulerState } from "@/lib/scheduler/core/state";
import type { Task } from "@/lib/scheduler/core/records";
import { BATCH_RUNNING, DISABLED, DONE, FAILED, PENDING, RUNNING } from "@/lib/scheduler/core/transitions";

// Upstream status (SPEC §7.3): the most severe condition found walking down from a PENDING task
// through PENDING tasks with dependencies. Ported from luigid's iterative post-order walk so that
// deep chains cannot overflow the stack; the memo table is shared within one request.

export const UPSTREAM_RUNNING = "UPSTREAM_RUNNING";
export const UPSTREAM_MISSING_INPUT = "UPSTREAM_MISSING_INPUT";
export const UPSTREAM_FAILED = "UPSTREAM_FAILED";
export const UPSTREAM_DISABLED = "UPSTREAM_DISABLED";
const SEVERITY = ["", UPSTREAM_RUNNING, UPSTREAM_MISSING_INPUT, UPSTREAM_FAILED, UPSTREAM_DISABLED];
const FROM_STATUS: Record<string, string> = {
  [FAILED]: UPSTREAM_FAILED,
  [RUNNING]: UPSTREAM_RUNNING,
  [BATCH_RUNNING]: UPSTREAM_RUNNING,
  [PENDING]: UPSTREAM_MISSING_INPUT,
  [DISABLED]: UPSTREAM_DISABLED,
};

export function upstreamStatus(state: SchedulerState, taskId: string, table: Map<string, string>): string {
  const memo = table.get(taskId);
  if (memo !== undefined) return memo;
  if (!state.tasks.has(taskId)) return "";
  const stack = [taskId];
  let last = taskId;
  while (stack.length > 0) {
    const id = stack.pop()!;
    last = id;
    const dep = state.tasks.get(id);
    if (!dep || dep.status === DONE) continue;
    const seen = table.get(id);
    if (seen === undefined) {
      if (dep.status === PENDING && dep.deps.length > 0) {
        stack.push(id, ...dep.deps);
        table.set(id, ""); // completed post-order, once its deps are known
      } else table.set(id, FROM_STATUS[dep.status] ?? "");
    } else if (seen === "" && dep.deps.length > 0) {
      let worst = "";
      for (const d of dep.deps) {
        const s = table.get(d) ?? "";
        if (SEVERITY.indexOf(s) > SEVERITY.indexOf(worst)) worst = s;
      }
      table.set(id, worst);
    }
  }
  return table.get(last) ?? "";
}

/**
 * PENDING tasks whose upstream status is UPSTREAM_DISABLED: those with a path of PENDING tasks
 * down to a DISABLED one. Found by walking up from the DISABLED tasks, so the cost is the size of
 * the affected subgraph, not of the whole state (count_pending needs it on every get_work).
 */
export function upstreamDisabledTasks(state: SchedulerState): Set<Task> {
  const out = new Set<Task>();
  const disabled = state.byStatus.get(DISABLED);
  if (!disabled || disabled.size === 0) return out;
  const queue: Task[] = [...disabled];
  while (queue.length > 0) {
    const t = queue.pop()!;
    for (const parent of state.dependentsOf(t.id)) {
      if (parent.status !== PENDING || out.has(parent)) continue;
      out.add(parent);
      queue.push(parent);
    }
  }
  return out;
}
