import Link from "next/link";
import { formatParams, formatUtc } from "@/components/format/format";
import { TaskStatusBadge } from "@/components/run/run-tasks";
import { PARAMS_TD, TABLE, TABLE_FRAME, TASK_ID_TD, TBODY, TD } from "@/components/ui/table";
import type { TasksData } from "@/lib/presenters/get-tasks-data";
import type { TaskStatus } from "@/lib/presenters/get-run-data";
import { TableHeader } from "@/components/ui/table-header";

export function TaskResults({ data, nextHref }: { data: TasksData; nextHref: string | null }) {
  if (data.error) return <p className="text-sm text-red-700 dark:text-red-400">{data.error}</p>;
  if (data.hits.length === 0) return <p className="text-sm text-zinc-500">No task in the history matches.</p>;
  return (
    <div className="space-y-3">
      <div className={TABLE_FRAME}>
        <table className={TABLE}>
          <caption className="sr-only">Matching tasks, newest first</caption>
          <TableHeader columns={["Family", "Latest status", "Last event (UTC)", "Parameters", "Host", "Run", "Task id"]} />
          <tbody className={TBODY}>
            {data.hits.map((t) => (
              <tr key={t.id} className="align-top">
                <th scope="row" className={`${TD} text-left font-mono text-xs font-normal`}>
                  {t.family}
                </th>
                <td className={TD}>{t.status ? <TaskStatusBadge status={t.status as TaskStatus} /> : <span className="text-xs text-zinc-500">no events</span>}</td>
                <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(t.lastEventAt)}</td>
                <td className={PARAMS_TD}>{formatParams(t.params)}</td>
                <td className={`${TD} font-mono text-xs`}>{t.host ?? "—"}</td>
                <td className={`${TD} text-xs whitespace-nowrap`}>
                  {t.runId === null ? (
                    <span className="text-zinc-500" title="no run of Switchyard's ran it (a Luigi worker started by hand, or history from a luigid)">—</span>
                  ) : (
                    <Link href={`/runs/${t.runId}`} prefetch={false} className="underline" data-testid="task-run">
                      run {t.runId}
                    </Link>
                  )}
                </td>
                <td className={TASK_ID_TD}>
                  {t.taskId}
                  <div>row {t.id}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextHref ? (
        <Link href={nextHref} className="inline-block rounded border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700" prefetch={false}>
          Older tasks →
        </Link>
      ) : null}
    </div>
  );
}
