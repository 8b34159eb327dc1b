"use client";

import { useQuery } from "@tanstack/react-query";
import { TaskActions } from "@/components/actions/task-actions-client";
import { formatParams } from "@/components/format/format";
import { runGraphQuery } from "@/components/live/query-options";
import { TaskStatusBadge } from "@/components/run/run-tasks";
import type { RunRef } from "@/components/actions/action-requests";
import type { TaskStatus } from "@/lib/presenters/get-run-data";

// The run's task graph as the scheduler holds it now: the root task, then its dependencies
// indented under it, each with its status and parameters (and the task actions for operators).

const KNOWN = new Set(["PENDING", "RUNNING", "DONE", "FAILED", "DISABLED", "UNKNOWN"]);

export function RunGraph({ run, active, canAct }: { run: RunRef; active: boolean; canAct: boolean }) {
  const { data, error, isPending } = useQuery(runGraphQuery(run.id, active));
  if (isPending) return <p className="text-sm text-zinc-500">Asking the scheduler for the task graph…</p>;
  if (error) return <p className="text-sm text-red-700 dark:text-red-400">The task graph could not be loaded: {error.message}</p>;
  if (data.state !== "ok") return <p className="text-sm text-zinc-500" data-testid="graph-unavailable">{data.message} The tasks below come from Luigi&apos;s history.</p>;
  return (
    <div className="space-y-2">
      <p className="text-sm">
        {Object.entries(data.counts)
          .map(([s, n]) => `${n} ${s.toLowerCase()}`)
          .join(" · ")}
        {data.truncated ? ` — showing the first ${data.rows.length} rows` : ""}
      </p>
      <ul role="tree" aria-label="Task graph" className="space-y-0.5 rounded-lg border border-zinc-200 p-2 text-sm dark:border-zinc-800">
        {data.rows.map((row, i) => (
          <li
            key={`${row.taskId}-${i}`}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-selected={false}
            className="flex flex-wrap items-center gap-2 py-0.5"
            style={{ paddingLeft: `${Math.min(row.depth, 12) * 1.25}rem` }}
          >
            <TaskStatusBadge status={(KNOWN.has(row.status) ? row.status : "UNKNOWN") as TaskStatus} />
            <span className="font-mono text-xs font-medium">{row.family}</span>
            {row.seen ? (
              <span className="text-xs text-zinc-500">(see above)</span>
            ) : (
              <>
                <span className="font-mono text-xs break-all text-zinc-500">{formatParams(row.params as Record<string, string>)}</span>
                {canAct ? <TaskActions run={run} taskId={row.taskId} family={row.family} status={row.status} runActive={active} /> : null}
              </>
            )}
            {row.error ? (
              <details open={i < 3} className="w-full">
                <summary className="cursor-pointer text-xs text-red-700 dark:text-red-400">Traceback of {row.family}</summary>
                <pre className="mt-1 max-h-72 overflow-auto rounded border border-red-300 bg-red-50 p-2 font-mono text-xs whitespace-pre-wrap text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
                  {row.error}
                </pre>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
