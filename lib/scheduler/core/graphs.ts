import type { Ctx } from "@/lib/scheduler/core/context";
import type { Task } from "@/lib/scheduler/core/records";
import { placeholderNode, serializeTask, type SerializedTask } from "@/lib/scheduler/core/serialize";
import { DONE } from "@/lib/scheduler/core/transitions";

// dep_graph, inverse_dep_graph and graph (SPEC §7.7): breadth-first from the root, neighbours in
// sorted id order, stopping at max_graph_nodes. The inverse graph uses the reverse-dependency
// index instead of luigid's rebuild over every task.

type DepFn = (task: Task) => Iterable<string>;

export function traverseGraph(ctx: Ctx, rootId: string, seen: Set<string>, depFn: DepFn, includeDone: boolean): Map<string, SerializedTask> {
  const out = new Map<string, SerializedTask>();
  if (seen.has(rootId)) return out;
  seen.add(rootId);
  const queue = [rootId];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const task = ctx.state.tasks.get(id);
    let node: SerializedTask;
    if (!task || !task.family) node = placeholderNode(id);
    else {
      let deps = [...depFn(task)];
      if (!includeDone) deps = deps.filter((d) => ctx.state.tasks.get(d)?.status !== DONE);
      node = serializeTask(ctx, task, { deps });
      for (const dep of [...deps].sort()) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        queue.push(dep);
      }
    }
    if (id !== rootId) delete node.display_name;
    out.set(id, node);
    if (out.size >= ctx.config.maxGraphNodes) break;
  }
  return out;
}

export function depGraph(ctx: Ctx, taskId: string, includeDone: boolean): Map<string, SerializedTask> {
  if (!ctx.state.tasks.has(taskId)) return new Map();
  return traverseGraph(ctx, taskId, new Set(), (t) => t.deps, includeDone);
}

export function inverseDepGraph(ctx: Ctx, taskId: string, includeDone: boolean): Map<string, SerializedTask> {
  if (!ctx.state.tasks.has(taskId)) return new Map();
  const dependents = (t: Task) => [...ctx.state.dependentsOf(t.id)].map((d) => d.id);
  return traverseGraph(ctx, taskId, new Set(), dependents, includeDone);
}

export function wholeGraph(ctx: Ctx): Map<string, SerializedTask> {
  const out = new Map<string, SerializedTask>();
  const seen = new Set<string>();
  for (const task of ctx.state.tasks.values()) {
    for (const [id, node] of traverseGraph(ctx, task.id, seen, (t) => t.deps, true)) out.set(id, node);
  }
  return out;
}
