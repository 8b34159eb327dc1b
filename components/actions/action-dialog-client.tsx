"use client";

import { ReasonField } from "@/components/actions/reason-field";
import { createContext, useCallback, useContext, useId, useRef, useState } from "react";
import { BUTTON, FIELD } from "@/components/actions/button-styles";
import { DialogFooter, keepWhileWorking } from "@/components/actions/dialog-footer";
import { withIntent, type ActionRequest } from "@/components/actions/action-requests";
import { newRequestKey } from "@/components/actions/post-action";
import { useOperatorAction } from "@/components/actions/use-operator-action";

// One confirmation dialog for every operator action, owned by the layout rather than by the
// button that opened it: an action usually changes what the page shows (a failed row leaves the
// "failed today" table, Forgive disappears once the task is pending), and the answer must stay on
// screen when the button that asked for it is gone.
//
// The dialog says in one sentence exactly what will happen, takes an optional reason, and shows the
// answer. It cannot launch twice: confirm is disabled while the request is in flight (guarded by a
// ref too, since two clicks can land before React re-renders), and every send from one opening
// carries the same client-generated requestKey, so the server runs it once even if it comes twice.

export { BUTTON };

/** The frame of every action dialog; `width` is the widest it gets on a large screen (on a phone, the screen less a margin). */
export const dialogClass = (width: "32rem" | "36rem") =>
  `m-auto ${width === "32rem" ? "w-[min(32rem,calc(100vw-2rem))]" : "w-[min(36rem,calc(100vw-2rem))]"} rounded-lg border border-zinc-300 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100`;

/** A choice the dialog offers before the confirm: its value, unless "", joins the request's body as `field`. */
export type ActionChoice = { label: string; field: string; options: { value: string; label: string }[] };

export type ActionSpec = { label: string; title: string; sentence: React.ReactNode; request: ActionRequest; danger?: boolean; choice?: ActionChoice };

const OpenAction = createContext<((spec: ActionSpec) => void) | null>(null);

/** Opens the confirmation dialog for an action. */
export function useOpenAction(): (spec: ActionSpec) => void {
  const open = useContext(OpenAction);
  if (!open) throw new Error("useOpenAction needs <ActionDialogProvider> (app/layout.tsx)");
  return open;
}

export function ActionDialogProvider({ children }: { children: React.ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [spec, setSpec] = useState<ActionSpec | null>(null);
  const [requestKey, setRequestKey] = useState("");
  const [reason, setReason] = useState("");
  const [choice, setChoice] = useState("");
  const action = useOperatorAction();
  const ids = { title: useId(), sentence: useId(), reason: useId(), choice: useId() };
  const { reset } = action;

  const open = useCallback(
    (next: ActionSpec) => {
      reset();
      setSpec(next);
      setReason("");
      setChoice(next.choice?.options[0]?.value ?? "");
      setRequestKey(newRequestKey());
      dialog.current?.showModal();
    },
    [reset],
  );

  function confirm(event: React.FormEvent) {
    event.preventDefault();
    if (!spec) return;
    const request = spec.choice && choice ? { ...spec.request, body: { ...spec.request.body, [spec.choice.field]: choice } } : spec.request;
    action.send(withIntent(request, reason, requestKey));
  }

  const done = action.isSuccess;
  return (
    <OpenAction.Provider value={open}>
      {children}
      <dialog
        ref={dialog}
        aria-labelledby={ids.title}
        aria-describedby={ids.sentence}
        onCancel={keepWhileWorking(action)}
        className={dialogClass("32rem")}
      >
        {spec ? (
          <form onSubmit={confirm} className="space-y-4 p-5">
            <h2 id={ids.title} className="text-lg font-semibold">
              {spec.title}
            </h2>
            <p id={ids.sentence} className="text-sm">
              {spec.sentence}
            </p>
            {spec.choice ? (
              <label htmlFor={ids.choice} className="block space-y-1 text-sm">
                <span>{spec.choice.label}</span>
                <select
                  id={ids.choice}
                  value={choice}
                  disabled={done}
                  onChange={(e) => setChoice(e.target.value)}
                  className={FIELD}
                >
                  {spec.choice.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {!done ? (
              <ReasonField id={ids.reason} value={reason} onChange={setReason} />
            ) : null}
            <DialogFooter
              action={action}
              done={done}
              onClose={() => dialog.current?.close()}
              confirmLabel={`Confirm: ${spec.label.toLowerCase()}`}
              danger={spec.danger}
            />
          </form>
        ) : null}
      </dialog>
    </OpenAction.Provider>
  );
}
