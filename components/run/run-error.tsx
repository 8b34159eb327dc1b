import { TaskActions } from "@/components/actions/task-actions-client";
import { formatParams, formatUtc } from "@/components/format/format";
import type { RunData } from "@/lib/presenters/get-run-data";

// The Error box (issue 13): first the run's failed tasks — family, parameters, the exception's last
// line, a link to the full traceback and "Re-run from here" — then what the runner concluded
// ("the process exited with code 30 but root task … is PENDING"), which is an inference, not the failure.

const PRE = "max-h-96 overflow-auto rounded border border-red-300 bg-red-50 p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200";

export function RunError({ data, canAct }: { data: RunData; canAct: boolean }) {
  const { run, failures } = data;
  if (failures.length === 0 && !run.error) return null;
  return (
    <div className="space-y-4 rounded-lg border border-red-300 p-3 dark:border-red-900" data-testid="run-error">
      {failures.length > 0 ? (
        <ol className="space-y-3" aria-label="Failed tasks, the first to fail first">
          {failures.map((task, i) => (
            <li key={task.taskId} className="space-y-1" data-testid="failed-task">
              <p className="flex flex-wrap items-baseline gap-2">
                <span className="font-mono text-sm font-semibold">{task.family}</span>
                <span className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{formatParams(task.params)}</span>
                <span className="text-xs text-zinc-500">
                  failed at {formatUtc(task.spans.findLast((s) => s.status === "FAILED")?.from)} UTC
                  {task.currentStatus ? ` · now ${task.currentStatus}` : ""}
                </span>
              </p>
              <p className="font-mono text-sm text-red-800 dark:text-red-300" data-testid="failed-task-exception">
                {task.failure!.lastLine}
              </p>
              <div className="flex flex-wrap items-center gap-3 text-xs">
                {task.failure!.traceback ? (
                  <a href={`#traceback-${i}`} className="underline">
                    Full traceback
                  </a>
                ) : null}
                {canAct && data.latest ? (
                  <TaskActions run={run} taskId={task.taskId} family={task.family} status="FAILED" runActive={data.active} schedulerActions={false} />
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {run.error ? (
        <div className="space-y-1">
          <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{failures.length > 0 ? "What the runner concluded" : "What the runner reported"}</p>
          <pre className={PRE}>{run.error}</pre>
        </div>
      ) : null}
      {failures.map((task, i) =>
        task.failure!.traceback ? (
          <details key={task.taskId} id={`traceback-${i}`} open={i === 0} className="scroll-mt-4">
            <summary className="cursor-pointer text-xs text-red-700 dark:text-red-400">Traceback of {task.family}</summary>
            <pre className={`mt-1 ${PRE}`}>{task.failure!.traceback}</pre>
          </details>
        ) : null,
      )}
    </div>
  );
}
