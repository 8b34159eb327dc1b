import type { RunTaskView, TaskStatus } from "@/lib/presenters/get-run-data";

// The run's DAG as drawn: which tasks are visible (done subtrees collapsed into one node until
// opened), its edges dependency → dependent (so the layout reads left to right, root last), and the
// upstream/downstream sets highlighted on hover or focus. Pure, so it is tested without a browser.

export const STATUS_LETTER: Record<TaskStatus, string> = { DONE: "D", RUNNING: "R", PENDING: "P", FAILED: "F", DISABLED: "X", UNKNOWN: "?" };
export const STATUS_FILL: Record<TaskStatus, { fill: string; text: string }> = {
  DONE: { fill: "#059669", text: "#ffffff" },
  RUNNING: { fill: "#0284c7", text: "#ffffff" },
  PENDING: { fill: "#fcd34d", text: "#451a03" },
  FAILED: { fill: "#dc2626", text: "#ffffff" },
  DISABLED: { fill: "#3f3f46", text: "#ffffff" },
  UNKNOWN: { fill: "#d4d4d8", text: "#27272a" },
};

export type DagNode = { id: string; task: RunTaskView; hidden: number };
export type DagEdge = { id: string; source: string; target: string };
export type Dag = { nodes: DagNode[]; edges: DagEdge[] };

/** Tasks whose whole subtree (itself and everything it depends on) is DONE as of the run. */
export function doneSubtrees(tasks: RunTaskView[]): Set<string> {
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const memo = new Map<string, boolean>();
  // post-order with an explicit stack: deep chains must not overflow the call stack
  for (const start of tasks) {
    const stack = [start.taskId];
    while (stack.length > 0) {
      const id = stack[stack.length - 1];
      if (memo.has(id)) {
        stack.pop();
        continue;
      }
      const task = byId.get(id)!;
      const pending = task.deps.filter((d) => !memo.has(d));
      if (pending.length > 0 && !stack.includes(pending[0])) {
        stack.push(...pending);
        continue;
      }
      memo.set(id, task.status === "DONE" && task.deps.every((d) => memo.get(d) === true));
      stack.pop();
    }
  }
  return new Set([...memo].filter(([, done]) => done).map(([id]) => id));
}

/** The visible graph: from the root, stopping at each done subtree that is not opened (shown as one node counting what it hides). */
export function visibleDag(tasks: RunTaskView[], done: Set<string>, opened: Set<string>): Dag {
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const root = tasks.find((t) => t.isRoot) ?? tasks[0];
  if (!root) return { nodes: [], edges: [] };
  const nodes = new Map<string, DagNode>();
  const edges: DagEdge[] = [];
  const queue = [root.taskId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (nodes.has(id)) continue;
    const task = byId.get(id)!;
    const collapsed = done.has(id) && !opened.has(id) && !task.isRoot && task.deps.length > 0;
    nodes.set(id, { id, task, hidden: collapsed ? descendants(byId, id).size : 0 });
    if (collapsed) continue;
    for (const dep of task.deps) {
      edges.push({ id: `${dep}->${id}`, source: dep, target: id });
      queue.push(dep);
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** Everything a task depends on, transitively (not itself). */
export function descendants(byId: Map<string, RunTaskView>, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(byId.get(id)?.deps ?? [])];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (out.has(d)) continue;
    out.add(d);
    stack.push(...(byId.get(d)?.deps ?? []));
  }
  return out;
}

export type Adjacency = { ups: Map<string, string[]>; downs: Map<string, string[]> };

/** Built once per visible graph, so a hover costs only the walk. */
export function adjacency(dag: Dag): Adjacency {
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const e of dag.edges) {
    add(ups, e.target, e.source);
    add(downs, e.source, e.target);
  }
  return { ups, downs };
}

/** Upstream (what it needs) and downstream (what needs it) of a visible node, over visible edges. */
export function neighbourhood(adj: Adjacency, id: string): { upstream: Set<string>; downstream: Set<string> } {
  const walk = (next: Map<string, string[]>) => {
    const out = new Set<string>();
    const stack = [...(next.get(id) ?? [])];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (out.has(n)) continue;
      out.add(n);
      stack.push(...(next.get(n) ?? []));
    }
    return out;
  };
  return { upstream: walk(adj.ups), downstream: walk(adj.downs) };
}
