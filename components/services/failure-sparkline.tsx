import type { FailureWeek } from "@/lib/db/queries/select-service-trends";

// A service's weekly failure rate over 90 days as a small inline SVG (13 bars, one per week; red
// height = share of finished daily runs that failed, grey stub = a week with nothing finished).
// Drawn by hand rather than with recharts: a thousand table rows need a few hundred bytes each.

export function FailureSparkline({ weeks, service }: { weeks: FailureWeek[]; service: string }) {
  const failed = weeks.reduce((n, [f]) => n + f, 0);
  const finished = weeks.reduce((n, [, total]) => n + total, 0);
  const rate = finished ? Math.round((100 * failed) / finished) : null;
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <svg width={weeks.length * 4} height={H} role="img" aria-label={`${service}: ${rate === null ? "no finished daily runs" : `${rate}% of daily runs failed`} in the last 90 days, by week`}>
        {/* three paths, not a rect per week: a thousand rows stay a few hundred bytes each */}
        <path d={bars(weeks, ([, n]) => n === 0)} fill="#d4d4d8" />
        <path d={bars(weeks, ([f, n]) => n > 0 && f === 0)} fill="#86efac" />
        <path d={bars(weeks, ([f]) => f > 0)} fill="#dc2626" />
      </svg>
      <span className="text-xs tabular-nums text-zinc-500">{rate === null ? "—" : `${rate}%`}</span>
    </span>
  );
}

const H = 16;

/** One bar per week that `pick` selects, each `M x,y h3 v h z`: height = share failed (at least 1 px). */
function bars(weeks: FailureWeek[], pick: (w: FailureWeek) => boolean): string {
  let d = "";
  weeks.forEach((w, i) => {
    if (!pick(w)) return;
    const [failed, finished] = w;
    const h = failed > 0 ? Math.max(1, Math.round((H * failed) / finished)) : 1;
    d += `M${i * 4} ${H - h}h3v${h}h-3z`;
  });
  return d;
}
