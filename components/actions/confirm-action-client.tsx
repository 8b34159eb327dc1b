"use client";

import { BUTTON, useOpenAction, type ActionSpec } from "@/components/actions/action-dialog-client";
import { useHydrated } from "@/components/actions/use-hydrated";

// An operator action's button: it opens the layout's confirmation dialog (action-dialog-client.tsx)
// with the sentence that says exactly what will happen.

export { BUTTON };

type Props = ActionSpec & {
  /** An accessible name when the label alone is ambiguous in a table, e.g. "Re-run acme-corp 2026-11-22". */
  ariaLabel?: string;
  small?: boolean;
  disabled?: boolean;
};

export function ConfirmAction({ ariaLabel, small, disabled, ...spec }: Props) {
  const open = useOpenAction();
  const hydrated = useHydrated();
  return (
    <button type="button" className={small ? BUTTON.small : BUTTON.default} onClick={() => open(spec)} aria-label={ariaLabel} disabled={disabled || !hydrated} aria-haspopup="dialog">
      {spec.label}
    </button>
  );
}
