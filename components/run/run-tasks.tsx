import { TaskActions } from "@/components/actions/task-actions-client";
import { formatParams, formatUtc } from "@/components/format/format";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { RunData, TaskStatus } from "@/lib/presenters/get-run-data";
import { TableHeader } from "@/components/ui/table-header";

// The run's tasks as Luigi's history recorded them, root task first. Statuses are Luigi's words
// with their grid letter and colour.

const TASK_CLASS: Record<TaskStatus, string> = {
  DONE: "bg-emerald-600 text-white",
  RUNNING: "bg-sky-600 text-white",
  PENDING: "bg-amber-300 text-amber-950",
  FAILED: "bg-red-600 text-white",
  DISABLED: "bg-zinc-700 text-white",
  UNKNOWN: "bg-zinc-300 text-zinc-800",
};

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs ${TASK_CLASS[status]}`}>{status}</span>;
}

export function RunTasks({ data, canAct }: { data: RunData; canAct: boolean }) {
  if (!data.tasksWindow) return <p className="text-sm text-zinc-500">The run has not started: no task has reported yet.</p>;
  if (data.tasks.length === 0)
    return (
      <p className="text-sm text-zinc-500">
        Luigi&apos;s history has no events for {data.run.rootTaskId ? <code>{data.run.rootTaskId}</code> : "this run's root task"} between {formatUtc(data.tasksWindow.from)} and{" "}
        {formatUtc(data.tasksWindow.to)} UTC.
      </p>
    );
  const counts = data.tasks.reduce<Record<string, number>>((acc, t) => ((acc[t.status] = (acc[t.status] ?? 0) + 1), acc), {});
  return (
    <div className="space-y-2">
      <p className="text-sm">
        {data.tasks.length} tasks ·{" "}
        {Object.entries(counts)
          .map(([s, n]) => `${n} ${s.toLowerCase()}`)
          .join(" · ")}
      </p>
      <div className={TABLE_FRAME}>
        <table className={TABLE}>
          <caption className="sr-only">Tasks of this run from Luigi&apos;s history</caption>
          <TableHeader columns={["Task family", "Status", "Parameters", "Worker host", "Last event (UTC)", "Task id", ...(canAct ? ["Actions"] : [])]} />
          <tbody className={TBODY}>
            {data.tasks.map((t) => (
              <tr key={t.id} className={`align-top ${t.isRoot ? "bg-zinc-50 dark:bg-zinc-900" : ""}`}>
                <th scope="row" className={`${TD} text-left font-mono text-xs font-normal whitespace-nowrap`}>
                  {t.isRoot ? <span className="mr-1 rounded bg-zinc-200 px-1 text-[10px] dark:bg-zinc-700">root</span> : <span className="mr-1 text-zinc-400" aria-hidden="true">└</span>}
                  {t.family}
                </th>
                <td className={TD}>
                  <TaskStatusBadge status={t.status} />
                </td>
                <td className={`${TD} max-w-96 font-mono text-xs break-all`}>{formatParams(t.params)}</td>
                <td className={`${TD} font-mono text-xs`}>{t.host ?? "—"}</td>
                <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(t.lastEventAt)}</td>
                <td className={`${TD} font-mono text-[11px] break-all text-zinc-500`}>{t.taskId}</td>
                {canAct ? (
                  <td className={TD}>
                    {t.taskId ? <TaskActions run={data.run} taskId={t.taskId} family={t.family ?? t.taskId} status={t.status} runActive={data.active} schedulerActions={false} /> : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function EventsTimeline({ data }: { data: RunData }) {
  if (data.timeline.length === 0) return <p className="text-sm text-zinc-500">No events recorded.</p>;
  return (
    <div className="space-y-1">
      {data.timelineTruncated ? <p className="text-xs text-zinc-500">Showing the latest {data.timeline.length} events.</p> : null}
      <ol className="max-h-96 overflow-y-auto rounded-lg border border-zinc-200 p-2 font-mono text-xs dark:border-zinc-800">
        {data.timeline.map((e, i) => (
          <li key={i} className="flex gap-3 py-0.5">
            <time dateTime={e.ts} className="shrink-0 text-zinc-500">
              {formatUtc(e.ts)}
            </time>
            <TaskStatusBadge status={(e.name as TaskStatus) ?? "UNKNOWN"} />
            <span className="break-all">
              {e.family} <span className="text-zinc-500">{e.taskId}</span>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
