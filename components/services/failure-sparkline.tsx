import type { FailureWeek } from "@/lib/db/queries/select-service-trends";

// A service's weekly failure rate over 90 days as a small inline SVG (13 bars, one per week; red
// height = share of finished daily runs that failed, grey stub = a week with nothing finished).
// Drawn by hand rather than with recharts: a thousand table rows need a few hundred bytes each.

export function FailureSparkline({ weeks, service }: { weeks: FailureWeek[]; service: string }) {
  const failed = weeks.reduce((n, w) => n + w.failed, 0);
  const finished = weeks.reduce((n, w) => n + w.finished, 0);
  const rate = finished ? Math.round((100 * failed) / finished) : null;
  const H = 16;
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <svg width={weeks.length * 4} height={H} role="img" aria-label={`${service}: ${rate === null ? "no finished daily runs" : `${rate}% of daily runs failed`} in the last 90 days, by week`}>
        {weeks.map((w, i) => {
          const h = w.finished ? Math.max(1, Math.round((H * w.failed) / w.finished)) : 1;
          return <rect key={i} x={i * 4} y={H - h} width={3} height={h} fill={w.finished === 0 ? "#d4d4d8" : w.failed ? "#dc2626" : "#86efac"} />;
        })}
      </svg>
      <span className="text-xs tabular-nums text-zinc-500">{rate === null ? "—" : `${rate}%`}</span>
    </span>
  );
}
