import type { PeriodLetter } from "@/lib/presenters/period-status";

// Status colours live in app/globals.css as [data-s="<letter>"] rules (light and dark), so a
// 7,000-cell grid carries one short attribute per cell. Components set data-s={letter}; the
// letter is always printed too: colour is never the only signal.

export const LEGEND: Array<{ letter: PeriodLetter; label: string }> = [
  { letter: "D", label: "done" },
  { letter: "R", label: "running" },
  { letter: "P", label: "pending / queued" },
  { letter: "F", label: "failed or lost" },
  { letter: "C", label: "cancelled" },
  { letter: "M", label: "missing: due, no run" },
  { letter: "–", label: "not due yet, or not expected" },
];
