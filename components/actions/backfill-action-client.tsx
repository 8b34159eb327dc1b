"use client";

import { useId, useRef, useState } from "react";
import { DialogFooter, keepWhileWorking } from "@/components/actions/dialog-footer";
import { ReasonField } from "@/components/actions/reason-field";
import { backfillRequest, withIntent, type BackfillInput } from "@/components/actions/action-requests";
import { dialogClass } from "@/components/actions/action-dialog-client";
import { BUTTON } from "@/components/actions/confirm-action-client";
import { newRequestKey, postAction } from "@/components/actions/post-action";
import { useHydrated } from "@/components/actions/use-hydrated";
import { useOperatorAction } from "@/components/actions/use-operator-action";

// Backfill a date range: pick the range, see the preview (the control API's dry run lists the
// periods it would queue), then confirm. Changing the range throws the preview away, so what is
// confirmed is always what was previewed.

type Preview = { periods: string[] };
const FIELD = "rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950";

export function BackfillAction({ service, today, hourly }: { service: string; today: string; hourly: boolean }) {
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), reason: useId() };
  const [form, setForm] = useState<BackfillInput>({ service, kind: "daily", from: today, to: today, force: false });
  const [reason, setReason] = useState("");
  const [requestKey, setRequestKey] = useState("");
  const [preview, setPreview] = useState<{ periods: string[] } | { error: string } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const action = useOperatorAction();

  function open() {
    action.reset();
    setPreview(null);
    setReason("");
    setRequestKey(newRequestKey());
    dialog.current?.showModal();
  }
  function change(patch: Partial<BackfillInput>) {
    setForm((f) => ({ ...f, ...patch }));
    setPreview(null);
  }
  async function runPreview() {
    setPreviewing(true);
    try {
      const r = await postAction<Preview>(backfillRequest(form, true).url, backfillRequest(form, true).body);
      setPreview({ periods: r.periods ?? [] });
    } catch (error) {
      setPreview({ error: (error as Error).message });
    } finally {
      setPreviewing(false);
    }
  }
  function confirm(event: React.FormEvent) {
    event.preventDefault();
    action.send(withIntent(backfillRequest(form, false), reason, requestKey));
  }

  const periods = preview && "periods" in preview ? preview.periods : null;
  const done = action.isSuccess;
  return (
    <>
      <button type="button" className={BUTTON.default} onClick={open} disabled={!hydrated} aria-haspopup="dialog">
        Backfill…
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={ids.title}
        onCancel={keepWhileWorking(action)}
        className={dialogClass("36rem")}
      >
        <form onSubmit={confirm} className="space-y-4 p-5">
          <h2 id={ids.title} className="text-lg font-semibold">
            Backfill {service}
          </h2>
          <fieldset className="flex flex-wrap items-end gap-3 text-sm" disabled={done}>
            <label className="flex flex-col gap-1">
              <span>Kind</span>
              <select value={form.kind} onChange={(e) => change({ kind: e.target.value as BackfillInput["kind"] })} className={FIELD}>
                <option value="daily">daily</option>
                {hourly ? <option value="hourly">hourly</option> : null}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span>From</span>
              <input type="date" required value={form.from} max={today} onChange={(e) => change({ from: e.target.value })} className={FIELD} />
            </label>
            <label className="flex flex-col gap-1">
              <span>To</span>
              <input type="date" required value={form.to} max={today} onChange={(e) => change({ to: e.target.value })} className={FIELD} />
            </label>
            <label className="flex items-center gap-2 pb-1">
              <input type="checkbox" checked={form.force} onChange={(e) => change({ force: e.target.checked })} />
              <span>Force (run periods already done too)</span>
            </label>
            <button type="button" className={BUTTON.default} onClick={runPreview} disabled={previewing}>
              {previewing ? "Previewing…" : "Preview"}
            </button>
          </fieldset>
          <div className="text-sm" aria-live="polite">
            {preview && "error" in preview ? <p role="alert" className="text-red-700 dark:text-red-400">The preview failed: {preview.error}</p> : null}
            {periods ? (
              periods.length === 0 ? (
                <p>Nothing to queue: every {form.kind} period from {form.from} to {form.to} is already done, running or queued{form.force ? "" : " (tick Force to run done periods again)"}.</p>
              ) : (
                <div className="space-y-1">
                  <p>
                    This will queue {periods.length} {form.kind} run{periods.length === 1 ? "" : "s"} of {service}, behind scheduled runs:
                  </p>
                  <p className="max-h-32 overflow-y-auto rounded border border-zinc-200 p-2 font-mono text-xs dark:border-zinc-800">{periods.join(" · ")}</p>
                </div>
              )
            ) : (
              <p className="text-zinc-500">Preview to see which periods will be queued.</p>
            )}
          </div>
          {!done ? <ReasonField id={ids.reason} value={reason} onChange={setReason} /> : null}
          <DialogFooter
            action={action}
            done={done}
            onClose={() => dialog.current?.close()}
            confirmLabel={periods ? `Confirm: queue ${periods.length} run${periods.length === 1 ? "" : "s"}` : "Confirm: queue runs"}
            confirmDisabled={!periods || periods.length === 0}
          />
        </form>
      </dialog>
    </>
  );
}
