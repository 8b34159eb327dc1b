"use client";

import { ActionResult } from "@/components/actions/action-result";
import type { useOperatorAction } from "@/components/actions/use-operator-action";

// The end of every action dialog: progress, the result or the error, and Cancel/Close beside the
// dialog's own confirm button. While the action is under way neither Cancel nor Escape closes the
// dialog: the request is sent and will be done and audited, so the operator should see its answer.

type Props = {
  action: ReturnType<typeof useOperatorAction>;
  done: boolean;
  closeClass: string;
  onClose: () => void;
  confirm: React.ReactNode;
};

export function DialogFooter({ action, done, closeClass, onClose, confirm }: Props) {
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
        <button type="button" className={closeClass} onClick={onClose} disabled={action.isPending}>
          {done ? "Close" : "Cancel"}
        </button>
        {!done ? confirm : null}
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
