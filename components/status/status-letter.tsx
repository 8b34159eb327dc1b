import { LEGEND } from "@/components/status/status-style";
import { LETTER_LABELS, letterForRun, type PeriodLetter, type RunStatus } from "@/lib/presenters/period-status";

/** A status letter in its colour, with the word for screen readers and tooltips. */
export function StatusLetter({ letter, className = "" }: { letter: PeriodLetter; className?: string }) {
  return (
    <span data-s={letter} className={`h-6 min-w-6 px-1 text-xs ${className}`} title={LETTER_LABELS[letter]}>
      <span aria-hidden="true">{letter}</span>
      <span className="sr-only">{LETTER_LABELS[letter]}</span>
    </span>
  );
}

/** A run's status: its letter and the status word (lost and failed both show F, the word tells them apart). */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <StatusLetter letter={letterForRun(status)} />
      <span className="text-sm">{status}</span>
    </span>
  );
}

export function StatusLegend() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Legend">
      {LEGEND.map(({ letter, label }) => (
        <li key={letter} className="flex items-center gap-1.5">
          <span data-s={letter} className="h-5 w-5" aria-hidden="true">
            {letter}
          </span>
          {label}
        </li>
      ))}
    </ul>
  );
}
