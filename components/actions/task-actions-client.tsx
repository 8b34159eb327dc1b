"use client";

import { rerunRequest, rerunSentence, TASK_ACTION_SENTENCES, taskActionRequest, type RunRef, type TaskActionName } from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";

// Per-task actions in a run's task list: the scheduler's forgive / re-enable / mark done (each
// offered only where the scheduler would accept it, SPEC.md §2.5), and re-running the period
// from this failed task.

const OFFERED: Record<string, TaskActionName[]> = {
  FAILED: ["forgive-failures", "mark-done"],
  DISABLED: ["re-enable", "mark-done"],
  RUNNING: ["mark-done"],
};
const LABELS: Record<TaskActionName, string> = { "forgive-failures": "Forgive", "re-enable": "Re-enable", "mark-done": "Mark done" };

type Props = { run: RunRef; taskId: string; family: string; status: string; runActive: boolean; schedulerActions?: boolean };

/** `schedulerActions` false: only "Re-run from here" (the history table, where a status may be old). */
export function TaskActions({ run, taskId, family, status, runActive, schedulerActions = true }: Props) {
  const offered = schedulerActions ? (OFFERED[status] ?? []) : [];
  if (offered.length === 0 && status !== "FAILED") return null;
  return (
    <div className="flex flex-wrap gap-1">
      {status === "FAILED" && !runActive ? (
        <ConfirmAction
          small
          label="Re-run from here"
          ariaLabel={`Re-run from ${family}`}
          title={`Re-run from ${family}`}
          sentence={rerunSentence(run, { fromTask: taskId })}
          request={rerunRequest(run, { fromTask: taskId })}
        />
      ) : null}
      {offered.map((action) => (
        <ConfirmAction
          key={action}
          small
          label={LABELS[action]}
          ariaLabel={`${LABELS[action]} ${family}`}
          title={`${LABELS[action]} ${family}`}
          sentence={TASK_ACTION_SENTENCES[action](taskId)}
          request={taskActionRequest(taskId, action)}
          danger={action === "mark-done"}
        />
      ))}
    </div>
  );
}
