import type { RunTask } from "@/lib/db/queries/select-run-tasks";

// What the run page says about each of its tasks, derived once from select-run-tasks and shared
// by the Error box, the DAG, the timeline and the table (one read model, issue 13):
// the status as of the run, the current one beside it when it differs, the failure with its
// exception's last line, and the spans PENDING → RUNNING → DONE/FAILED between the run's bounds.

export type TaskStatus = "PENDING" | "RUNNING" | "DONE" | "FAILED" | "DISABLED" | "UNKNOWN";
export const TASK_STATUSES: readonly TaskStatus[] = ["PENDING", "RUNNING", "DONE", "FAILED", "DISABLED", "UNKNOWN"];

export type TaskSpan = { status: TaskStatus; from: string; to: string };
export type RunTaskView = {
  taskId: string;
  family: string;
  params: Record<string, string | null>;
  host: string | null;
  isRoot: boolean;
  /** Dependencies that are tasks of this run (edges of the DAG). */
  deps: string[];
  /** As of the run's end: its last event up to then. */
  status: TaskStatus;
  /** The status now, only when it differs from `status` (e.g. DONE after a later re-run). */
  currentStatus: TaskStatus | null;
  currentAt: string | null;
  /** Whether the task reported anything while the run ran (else it was done, or untouched, before). */
  activeInRun: boolean;
  spans: TaskSpan[];
  failure: { lastLine: string; traceback: string } | null;
};

const asStatus = (name: string | null | undefined): TaskStatus => (TASK_STATUSES.includes(name as TaskStatus) ? (name as TaskStatus) : "UNKNOWN");
const TERMINAL = new Set<TaskStatus>(["DONE", "FAILED", "DISABLED"]);

export function toTaskViews(tasks: RunTask[], window: { from: string; to: string }, liveErrors: Map<string, string> = new Map()): RunTaskView[] {
  const members = new Set(tasks.map((t) => t.taskId));
  return tasks.map((t) => {
    const status = asStatus(t.statusAtEnd);
    const current = t.current ? asStatus(t.current.name) : null;
    const traceback = decodeExplanation(t.failure ?? liveErrors.get(t.taskId) ?? null);
    const failedInRun = (status === "FAILED" || status === "DISABLED") && t.events.length > 0;
    return {
      taskId: t.taskId,
      family: t.family,
      params: t.params,
      host: t.host,
      isRoot: t.isRoot,
      deps: t.deps.filter((d) => members.has(d)),
      status,
      currentStatus: current && current !== status ? current : null,
      currentAt: current && current !== status ? t.current!.ts : null,
      activeInRun: t.events.length > 0,
      spans: toSpans(t.events, window.to),
      failure: failedInRun ? { lastLine: lastLine(traceback) ?? `${t.family} failed (the worker sent no explanation)`, traceback: traceback ?? "" } : null,
    };
  });
}

/**
 * Each change of status opens a span that lasts until the next one; a terminal last status is a
 * point, an open one lasts to the run's end. Repeats (a PENDING re-announcement) extend the span.
 */
export function toSpans(events: Array<{ name: string; ts: string }>, end: string): TaskSpan[] {
  const changes = events.filter((e, i) => i === 0 || e.name !== events[i - 1].name);
  return changes.map((e, i) => {
    const status = asStatus(e.name);
    const next = changes[i + 1];
    return { status, from: e.ts, to: next ? next.ts : TERMINAL.has(status) ? e.ts : end };
  });
}

/** The failed tasks of the run, the first to fail first (a failure upstream leaves its dependents PENDING, so these are the causes). */
export function failedTasks(views: RunTaskView[]): RunTaskView[] {
  const failedAt = (v: RunTaskView) => v.spans.findLast((s) => s.status === "FAILED" || s.status === "DISABLED")?.from ?? "";
  return views.filter((v) => v.failure).sort((a, b) => failedAt(a).localeCompare(failedAt(b)) || a.taskId.localeCompare(b.taskId));
}

/** Luigi sends `expl` JSON-encoded (SPEC.md §2.4); older writers sent plain text. */
export function decodeExplanation(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const decoded: unknown = JSON.parse(raw);
    return typeof decoded === "string" ? decoded : raw;
  } catch {
    return raw;
  }
}

/**
 * The exception and its message ("ValueError: bad row 42"): a Python traceback ends with it; a
 * JavaScript stack (TypeScript workers) starts with it and ends in "at …" frames, which are skipped.
 */
export function lastLine(text: string | null): string | null {
  const lines = (text ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  while (lines.length > 1 && lines[lines.length - 1].startsWith("at ")) lines.pop();
  return lines.at(-1) ?? null;
}
