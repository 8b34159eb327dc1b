import Link from "next/link";
import type { PeriodIncident } from "@/lib/db/alerts/select-period-incidents";

/** The open incidents of this run's period (issue 11): what the alerts said, and who is on it. */
export function RunIncidents({ incidents }: { incidents: PeriodIncident[] }) {
  if (incidents.length === 0) return null;
  return (
    <ul className="space-y-1" data-testid="run-incidents">
      {incidents.map((i) => (
        <li key={i.id} className="flex flex-wrap items-center gap-2 text-sm">
          <Link
            href="/incidents"
            className={`rounded-full border px-2 py-0.5 text-xs font-medium ${i.severity === "critical" ? "border-red-600 text-red-700 dark:text-red-300" : "border-amber-500 text-amber-800 dark:text-amber-300"}`}
          >
            open incident {i.id} · {i.rule}
          </Link>
          <span className="text-zinc-600 dark:text-zinc-400">{i.acknowledgedBy ? `acknowledged by ${i.acknowledgedBy}` : "not acknowledged"}</span>
        </li>
      ))}
    </ul>
  );
}
