"use client";

import { useId, useRef, useState } from "react";
import { DialogFooter, keepWhileWorking } from "@/components/actions/dialog-footer";
import { ReasonField } from "@/components/actions/reason-field";
import { rerunFailedRequest, withIntent } from "@/components/actions/action-requests";
import { dialogClass } from "@/components/actions/action-dialog-client";
import { BUTTON } from "@/components/actions/confirm-action-client";
import { newRequestKey, postAction } from "@/components/actions/post-action";
import { useHydrated } from "@/components/actions/use-hydrated";
import { useOperatorAction } from "@/components/actions/use-operator-action";

// Re-run every failure of the last 24 hours at once (lib/control/rerun-failed.ts): after an outage
// of something many services share, one audited action instead of a click per row. Opening the
// dialog asks for the list (the control API's dry run), and confirming sends that list back: what
// is confirmed is what was shown.

type Preview = { periods: Array<{ failedRunId: number; service: string; kind: string; period: string; servicePaused?: boolean }>; more: boolean };

export function RerunFailedAction({ failed }: { failed: number }) {
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), reason: useId() };
  const [reason, setReason] = useState("");
  const [requestKey, setRequestKey] = useState("");
  const [preview, setPreview] = useState<Preview | { error: string } | null>(null);
  const action = useOperatorAction();

  async function open() {
    action.reset();
    setPreview(null);
    setReason("");
    setRequestKey(newRequestKey());
    dialog.current?.showModal();
    const request = rerunFailedRequest(null);
    try {
      const r = await postAction<Preview>(request.url, request.body);
      setPreview({ periods: r.periods ?? [], more: r.more === true });
    } catch (error) {
      setPreview({ error: (error as Error).message });
    }
  }
  function confirm(event: React.FormEvent) {
    event.preventDefault();
    if (periods && periods.length > 0) action.send(withIntent(rerunFailedRequest(periods.map((p) => p.failedRunId)), reason, requestKey));
  }

  const periods = preview && "periods" in preview ? preview.periods : null;
  const done = action.isSuccess;
  return (
    <>
      <button type="button" className={BUTTON.small} onClick={open} disabled={!hydrated || failed === 0} aria-haspopup="dialog">
        Re-run all failed…
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={ids.title}
        onCancel={keepWhileWorking(action)}
        className={dialogClass("36rem")}
      >
        <form onSubmit={confirm} className="space-y-4 p-5">
          <h2 id={ids.title} className="text-lg font-semibold">
            Re-run all failed
          </h2>
          <div className="text-sm" aria-live="polite">
            {preview === null ? <p className="text-zinc-500">Looking for the failures of the last 24 hours…</p> : null}
            {preview && "error" in preview ? (
              <p role="alert" className="text-red-700 dark:text-red-400">
                Could not list them: {preview.error}
              </p>
            ) : null}
            {periods ? (
              periods.length === 0 ? (
                <p>Nothing failed in the last 24 hours that is not already re-run.</p>
              ) : (
                <div className="space-y-1">
                  <p>
                    {periods.length === 1 ? "Queue a re-run of this failed period" : `Queue a re-run of each of these ${periods.length} failed periods`}
                    {preview && "more" in preview && preview.more ? " (the oldest; more are left for another round)" : ""}, ahead of scheduled runs. Tasks already done
                    are kept; the rest run again.
                  </p>
                  <ul className="max-h-40 overflow-y-auto rounded border border-zinc-200 p-2 font-mono text-xs dark:border-zinc-800" data-testid="rerun-failed-list">
                    {periods.map((p) => (
                      <li key={p.failedRunId}>
                        {p.service} {p.kind} {p.period}
                        {p.servicePaused ? <span className="text-amber-700 dark:text-amber-400"> · paused: waits until resumed</span> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              )
            ) : null}
          </div>
          {!done ? <ReasonField id={ids.reason} value={reason} onChange={setReason} /> : null}
          <DialogFooter
            action={action}
            done={done}
            onClose={() => dialog.current?.close()}
            confirmLabel={periods ? `Confirm: re-run ${periods.length}` : "Confirm: re-run"}
            confirmDisabled={!periods || periods.length === 0}
          />
        </form>
      </dialog>
    </>
  );
}
