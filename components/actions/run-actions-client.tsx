"use client";

import { cancelRequest, cancelSentence, EXTERNAL_CANCEL_NOTE, rerunRequest, rerunSentence, type RunRef } from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";

// What an operator can do with a run: re-run its period (failed, lost or cancelled), force it
// (every task again), or cancel it while it is queued or running. Viewers see none of it.
// A running external run cannot be cancelled from here (the API refuses, 409 external_run): in
// its place, a note says where it can be stopped.

const RERUNNABLE = new Set(["failed", "lost", "cancelled"]);
const ACTIVE = new Set(["queued", "running"]);

export function RunActions({ run, status, small }: { run: RunRef; status: string; small?: boolean }) {
  const what = `${run.serviceName} ${run.kind} ${run.periodDate}${run.periodHour === null ? "" : ` ${String(run.periodHour).padStart(2, "0")}:00`}`;
  return (
    <div className="flex flex-wrap gap-2">
      {RERUNNABLE.has(status) ? (
        <ConfirmAction label="Re-run" ariaLabel={small ? `Re-run ${what}` : undefined} title={`Re-run ${what}`} sentence={rerunSentence(run)} request={rerunRequest(run)} small={small} />
      ) : null}
      {ACTIVE.has(status) && run.trigger === "external" ? (
        <p className={`text-zinc-600 ${small ? "max-w-48 text-xs" : "max-w-prose text-sm"}`} title={EXTERNAL_CANCEL_NOTE} data-testid="external-cancel-note">
          {small ? "Launched outside Switchyard: stop it at its source" : EXTERNAL_CANCEL_NOTE}
        </p>
      ) : ACTIVE.has(status) ? (
        <ConfirmAction label="Cancel run" ariaLabel={small ? `Cancel ${what}` : undefined} title={`Cancel run ${run.id}`} sentence={cancelSentence(run)} request={cancelRequest(run)} danger small={small} />
      ) : null}
      {!small && !ACTIVE.has(status) ? (
        <ConfirmAction label="Force run" title={`Force run ${what}`} sentence={rerunSentence(run, { force: true })} request={rerunRequest(run, { force: true })} danger />
      ) : null}
    </div>
  );
}
