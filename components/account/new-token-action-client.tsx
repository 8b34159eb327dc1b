"use client";

import { useId, useRef, useState } from "react";
import { dialogClass } from "@/components/actions/action-dialog-client";
import { withIntent } from "@/components/actions/action-requests";
import { BUTTON, FIELD } from "@/components/actions/button-styles";
import { DialogFooter, keepWhileWorking } from "@/components/actions/dialog-footer";
import { ReasonField } from "@/components/actions/reason-field";
import { useHydrated } from "@/components/actions/use-hydrated";
import { useOperatorAction } from "@/components/actions/use-operator-action";

// Make an API token of one's own: a name that says where it will live, and how long it lasts. The
// answer holds the token, shown once in the dialog (ActionResult); only its hash is stored.

const LIFETIMES = [
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
  { days: null, label: "never (until revoked)" },
] as const;

export function NewTokenAction({ role }: { role: string }) {
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), reason: useId() };
  const [name, setName] = useState("");
  const [lifetime, setLifetime] = useState("90");
  const [reason, setReason] = useState("");
  const action = useOperatorAction();

  function open() {
    action.reset();
    setName("");
    setLifetime("90");
    setReason("");
    dialog.current?.showModal();
  }
  function confirm(event: React.FormEvent) {
    event.preventDefault();
    const expiresInDays = lifetime === "never" ? null : Number(lifetime);
    action.send(withIntent({ url: "/api/v1/account/tokens", body: { name, expiresInDays } }, reason));
  }

  const done = action.isSuccess;
  return (
    <>
      <button type="button" className={BUTTON.default} onClick={open} disabled={!hydrated} aria-haspopup="dialog">
        New API token…
      </button>
      <dialog ref={dialog} aria-labelledby={ids.title} onCancel={keepWhileWorking(action)} className={dialogClass("32rem")}>
        <form onSubmit={confirm} className="space-y-4 p-5">
          <h2 id={ids.title} className="text-lg font-semibold">
            New API token
          </h2>
          <p className="text-sm">
            It acts as you, with your role ({role}), for as long as it lasts: keep it where you would keep a password. You see it only once, in this dialog.
          </p>
          <fieldset className="space-y-3 text-sm" disabled={done}>
            <label className="block space-y-1">
              <span>Name (where it will be used, e.g. &ldquo;laptop CLI&rdquo; or &ldquo;nightly report&rdquo;)</span>
              <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} className={FIELD} />
            </label>
            <label className="block space-y-1">
              <span>Expires after</span>
              <select value={lifetime} onChange={(e) => setLifetime(e.target.value)} className={FIELD}>
                {LIFETIMES.map((l) => (
                  <option key={l.label} value={l.days === null ? "never" : String(l.days)}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          {!done ? <ReasonField id={ids.reason} value={reason} onChange={setReason} /> : null}
          <DialogFooter action={action} done={done} onClose={() => dialog.current?.close()} confirmLabel="Make the token" />
        </form>
      </dialog>
    </>
  );
}
