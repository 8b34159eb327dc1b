"use client";

import { ActionResult } from "@/components/actions/action-result";
import type { useOperatorAction } from "@/components/actions/use-operator-action";

// The end of every action dialog: progress, the result or the error, and Cancel/Close beside the
// dialog's own confirm button (which is disabled while the action is under way).

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
        <button type="button" className={closeClass} onClick={onClose}>
          {done ? "Close" : "Cancel"}
        </button>
        {!done ? confirm : null}
      </div>
    </>
  );
}
