"use client";

import { useState } from "react";
import { TaskActions } from "@/components/actions/task-actions-client";
import { formatParams, formatUtc } from "@/components/format/format";
import { STATUS_LETTER } from "@/components/run/dag-model";
import { PARAMS_TD, TABLE, TABLE_FRAME, TASK_ID_TD, TBODY, TD } from "@/components/ui/table";
import { TableHeader } from "@/components/ui/table-header";
import type { RunData, TaskStatus } from "@/lib/presenters/get-run-data";

// The run's tasks (its root task's dependency closure), root first: the status as of the run and,
// beside it, the status now when that differs. Actions only ever for these tasks. The unfinished
// ones come first and only ROWS_SHOWN are rendered until asked: 2,000 rows cost the server ~0.3 s.

const ROWS_SHOWN = 200;
const ORDER: Record<TaskStatus, number> = { FAILED: 0, DISABLED: 1, RUNNING: 2, PENDING: 3, UNKNOWN: 4, DONE: 5 };

const TASK_CLASS: Record<TaskStatus, string> = {
  DONE: "bg-emerald-600 text-white",
  RUNNING: "bg-sky-600 text-white",
  PENDING: "bg-amber-300 text-amber-950",
  FAILED: "bg-red-600 text-white",
  DISABLED: "bg-zinc-700 text-white",
  UNKNOWN: "bg-zinc-300 text-zinc-800",
};

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs whitespace-nowrap ${TASK_CLASS[status] ?? TASK_CLASS.UNKNOWN}`}>
      <span aria-hidden="true">{STATUS_LETTER[status] ?? "?"} </span>
      {status}
    </span>
  );
}

export function RunTasks({ data, canAct }: { data: RunData; canAct: boolean }) {
  const [all, setAll] = useState(false);
  if (!data.tasksWindow) return <p className="text-sm text-zinc-500">The run has not started: no task has reported yet.</p>;
  if (data.tasks.length === 0) return <p className="text-sm text-zinc-500">The run&apos;s root task is not known yet: it is set when the worker registers it with the scheduler.</p>;
  const counts = data.tasks.reduce<Record<string, number>>((acc, t) => ((acc[t.status] = (acc[t.status] ?? 0) + 1), acc), {});
  // only the latest run of a period may be re-run; an older run's page shows what happened, not what to do
  const actions = canAct && data.latest;
  const sorted = [...data.tasks].sort((a, b) => Number(b.isRoot) - Number(a.isRoot) || ORDER[a.status] - ORDER[b.status] || a.taskId.localeCompare(b.taskId));
  const shown = all ? sorted : sorted.slice(0, ROWS_SHOWN);
  return (
    <div className="space-y-2">
      <p className="text-sm">
        {data.tasks.length} tasks as of this run ·{" "}
        {Object.entries(counts)
          .map(([s, n]) => `${n} ${s.toLowerCase()}`)
          .join(" · ")}
      </p>
      <div className={TABLE_FRAME}>
        <table className={TABLE} data-testid="run-tasks">
          <caption className="sr-only">The tasks of this run: its root task and everything it depends on</caption>
          <TableHeader columns={["Task family", "Status in this run", "Now", "Parameters", "Worker host", "Task id", ...(actions ? ["Actions"] : [])]} />
          <tbody className={TBODY}>
            {shown.map((t) => (
              <tr key={t.taskId} data-task-id={t.taskId} className={`align-top ${t.isRoot ? "bg-zinc-50 dark:bg-zinc-900" : ""}`}>
                <th scope="row" className={`${TD} text-left font-mono text-xs font-normal whitespace-nowrap`}>
                  {t.isRoot ? <span className="mr-1 rounded bg-zinc-200 px-1 text-[10px] dark:bg-zinc-700">root</span> : null}
                  {t.family}
                </th>
                <td className={TD}>
                  <TaskStatusBadge status={t.status} />
                </td>
                <td className={`${TD} text-xs whitespace-nowrap`}>
                  {t.currentStatus ? (
                    <span title={`since ${formatUtc(t.currentAt)} UTC`}>
                      <TaskStatusBadge status={t.currentStatus} />
                    </span>
                  ) : (
                    <span className="text-zinc-500">same</span>
                  )}
                </td>
                <td className={PARAMS_TD}>{formatParams(t.params)}</td>
                <td className={`${TD} font-mono text-xs`}>{t.host ?? "—"}</td>
                <td className={TASK_ID_TD}>{t.taskId}</td>
                {actions ? (
                  <td className={TD}>
                    <TaskActions run={data.run} taskId={t.taskId} family={t.family} status={t.status} runActive={data.active} schedulerActions={false} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length < sorted.length ? (
        <button type="button" className="rounded border px-2 py-1 text-sm" onClick={() => setAll(true)}>
          Show all {sorted.length.toLocaleString("en")} tasks ({(sorted.length - shown.length).toLocaleString("en")} more, done last)
        </button>
      ) : null}
    </div>
  );
}
