import { formatDuration, formatUtc } from "@/components/format/format";
import type { DayRow } from "@/lib/presenters/get-daily-day-data";

// Duration against the service's usual (median of its last 14 successful runs), and whether the
// period was done by its expected time. Words and symbols carry the meaning, colour only helps.

export function ratioOf(row: DayRow): number | null {
  const d = row.run?.durationSeconds;
  return d && row.usualSeconds ? d / row.usualSeconds : null;
}

export function VersusUsual({ row }: { row: DayRow }) {
  const ratio = ratioOf(row);
  if (ratio === null) return <span className="text-zinc-400">—</span>;
  const pct = Math.round((ratio - 1) * 100);
  const cls = ratio >= 2 ? "font-semibold text-red-700 dark:text-red-400" : ratio >= 1.5 ? "text-amber-700 dark:text-amber-400" : "text-zinc-600 dark:text-zinc-400";
  const word = ratio >= 2 ? "much slower" : ratio >= 1.5 ? "slower" : ratio <= 0.5 ? "much faster" : "about usual";
  return (
    <span className={cls} title={`${ratio.toFixed(2)}× the usual ${formatDuration(row.usualSeconds)} (median of ${row.usualRuns} runs)`}>
      {pct >= 0 ? "+" : ""}
      {pct}% <span className="text-xs">({word})</span>
    </span>
  );
}

export function DoneBy({ row }: { row: DayRow }) {
  if (row.doneBy === "none") return <span className="text-zinc-400">—</span>;
  const at = formatUtc(row.expectedDoneAt, true);
  if (row.doneBy === "missed")
    return (
      <span className="inline-flex items-center gap-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800 dark:bg-red-950 dark:text-red-300">
        <span aria-hidden="true">⚠</span> missed {at}
      </span>
    );
  if (row.doneBy === "met") return <span className="text-xs text-emerald-700 dark:text-emerald-400">✓ met {at}</span>;
  return <span className="text-xs text-zinc-500">by {at}</span>;
}
