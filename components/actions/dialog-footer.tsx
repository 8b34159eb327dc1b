"use client";

import { ActionResult } from "@/components/actions/action-result";
import { BUTTON } from "@/components/actions/button-styles";
import type { useOperatorAction } from "@/components/actions/use-operator-action";

// The end of every action dialog: progress, the result or the error, Cancel/Close, and the confirm
// (submit) button. While the action is under way neither Cancel nor Escape closes the
// dialog: the request is sent and will be done and audited, so the operator should see its answer.

type Props = {
  action: ReturnType<typeof useOperatorAction>;
  done: boolean;
  onClose: () => void;
  /** the submit button's label ("Working…" while the action is under way) */
  confirmLabel: string;
  /** also disabled while nothing can be confirmed yet (a preview that found nothing) */
  confirmDisabled?: boolean;
  danger?: boolean;
};

export function DialogFooter({ action, done, onClose, confirmLabel, confirmDisabled = false, danger = false }: Props) {
  return (
    <>
      <div role="status" aria-live="polite" className="text-sm">
        {action.isPending ? "Working…" : null}
        {done ? <ActionResult result={action.data} /> : null}
      </div>
      {action.isError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
          It did not work: {action.error.message}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <button type="button" className={BUTTON.default} onClick={onClose} disabled={action.isPending}>
          {done ? "Close" : "Cancel"}
        </button>
        {!done ? (
          <button type="submit" className={danger ? BUTTON.danger : BUTTON.primary} disabled={action.isPending || confirmDisabled}>
            {action.isPending ? "Working…" : confirmLabel}
          </button>
        ) : null}
      </div>
    </>
  );
}

/** The dialog's `cancel` (Escape) handler: ignored while the action is under way. */
export function keepWhileWorking(action: ReturnType<typeof useOperatorAction>) {
  return (event: React.SyntheticEvent<HTMLDialogElement>) => {
    if (action.isPending) event.preventDefault();
  };
}
