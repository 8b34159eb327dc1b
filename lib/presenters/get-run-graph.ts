import type pg from "pg";
import { ApiError } from "@/lib/api/errors";
import { selectRun } from "@/lib/db/queries/select-run";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";

// A run's live task graph: the scheduler's dep_graph from the run's root task (SPEC.md §7.7),
// flattened into an indented tree (each task once; a task needed twice is shown where it is first
// reached and marked "see above" after), with the traceback of each failed task (fetch_error). The scheduler forgets finished tasks a while after their
// workers leave, so a finished run's graph is often gone: the page then says so and shows the
// tasks from Luigi's history.

export type GraphRow = {
  taskId: string;
  family: string;
  status: string;
  params: Record<string, unknown>;
  depth: number;
  seen: boolean;
  depCount: number;
  error?: string | null;
};
export type RunGraph = {
  generatedAt: string;
  rootTaskId: string | null;
  state: "ok" | "no-root" | "forgotten" | "unreachable";
  message: string | null;
  rows: GraphRow[];
  counts: Record<string, number>;
  truncated: boolean;
};

type Node = { name?: string; status?: string; params?: Record<string, unknown>; deps?: string[] };
export const GRAPH_ROW_LIMIT = 500;
/** Tracebacks fetched per graph: one RPC each, and a run rarely has more failed tasks than this. */
export const ERRORS_FETCHED = 5;

export function flattenGraph(rootId: string, nodes: Record<string, Node>, limit = GRAPH_ROW_LIMIT): { rows: GraphRow[]; truncated: boolean } {
  const rows: GraphRow[] = [];
  const seen = new Set<string>();
  // depth-first with an explicit stack (deep chains must not overflow the call stack)
  const stack: Array<{ id: string; depth: number }> = [{ id: rootId, depth: 0 }];
  while (stack.length > 0) {
    if (rows.length >= limit) return { rows, truncated: true };
    const { id, depth } = stack.pop()!;
    const node = nodes[id] ?? {};
    const deps = [...(node.deps ?? [])].sort();
    const again = seen.has(id);
    rows.push({ taskId: id, family: node.name ?? id.split("_")[0], status: node.status ?? "UNKNOWN", params: node.params ?? {}, depth, seen: again, depCount: deps.length });
    if (again) continue;
    seen.add(id);
    for (let i = deps.length - 1; i >= 0; i--) stack.push({ id: deps[i], depth: depth + 1 });
  }
  return { rows, truncated: false };
}

export async function getRunGraph(pool: pg.Pool, base: string, runId: number, now = Date.now()): Promise<RunGraph | null> {
  const run = await selectRun(pool, runId);
  if (!run) return null;
  const empty = { generatedAt: new Date(now).toISOString(), rootTaskId: run.rootTaskId, rows: [], counts: {}, truncated: false };
  if (!run.rootTaskId) return { ...empty, state: "no-root", message: "The run's root task is not known yet: it is set when the worker registers it with the scheduler." };
  let graph: Record<string, Node>;
  try {
    graph = ((await callScheduler(base, "dep_graph", { task_id: run.rootTaskId, include_done: true }, 3_000)) ?? {}) as Record<string, Node>;
  } catch (error) {
    if (error instanceof ApiError) return { ...empty, state: "unreachable", message: error.message };
    throw error;
  }
  if (!graph[run.rootTaskId]) return { ...empty, state: "forgotten", message: "The scheduler no longer holds this run's tasks (it forgets finished tasks a while after their workers leave)." };
  const { rows, truncated } = flattenGraph(run.rootTaskId, graph);
  const failed = rows.filter((r) => r.status === "FAILED" && !r.seen).slice(0, ERRORS_FETCHED);
  await Promise.all(failed.map(async (row) => (row.error = await fetchError(base, row.taskId))));
  const counts: Record<string, number> = {};
  for (const node of Object.values(graph)) counts[node.status ?? "UNKNOWN"] = (counts[node.status ?? "UNKNOWN"] ?? 0) + 1;
  return { ...empty, state: "ok", message: null, rows, counts, truncated };
}

/**
 * The edges of the root task's graph as the scheduler holds it now, with the tracebacks of its
 * failed tasks; null when the scheduler is unreachable or has forgotten the root. Used by the run
 * page for runs whose dependencies were never stored (history written by a luigid).
 */
export async function liveEdges(base: string, rootTaskId: string): Promise<{ edges: Array<[string, string]>; errors: Map<string, string> } | null> {
  let graph: Record<string, Node>;
  try {
    graph = ((await callScheduler(base, "dep_graph", { task_id: rootTaskId, include_done: true }, 3_000)) ?? {}) as Record<string, Node>;
  } catch {
    return null;
  }
  if (!graph[rootTaskId]) return null;
  const edges = Object.entries(graph).flatMap(([id, node]) => (node.deps ?? []).map((dep): [string, string] => [id, dep]));
  const failed = Object.entries(graph)
    .filter(([, node]) => node.status === "FAILED")
    .slice(0, ERRORS_FETCHED);
  const errors = new Map<string, string>();
  await Promise.all(failed.map(async ([id]) => {
    const error = await fetchError(base, id);
    if (error) errors.set(id, JSON.stringify(error));
  }));
  return { edges, errors };
}

/** The failed task's traceback as the worker reported it (stored JSON-encoded, SPEC.md §2.4); null if none. */
async function fetchError(base: string, taskId: string): Promise<string | null> {
  try {
    const answer = (await callScheduler(base, "fetch_error", { task_id: taskId }, 3_000)) as { error?: string } | null;
    const raw = answer?.error;
    if (!raw) return null;
    try {
      const decoded: unknown = JSON.parse(raw);
      return typeof decoded === "string" ? decoded : raw;
    } catch {
      return raw;
    }
  } catch {
    return null; // the graph is still worth showing without it
  }
}
