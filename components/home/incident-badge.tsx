import Link from "next/link";
import type { HomeData } from "@/lib/presenters/get-home-data";

/** Open incidents at a glance, critical first, and how many services are silenced; opens the Incidents page. */
export function IncidentBadge({ open }: { open: HomeData["incidents"] }) {
  // a silence hides messages, not incidents: said beside the count, so nobody takes quiet for calm
  const silenced = open.silenced > 0 ? <span className="font-normal">· {open.silenced} service{open.silenced === 1 ? "" : "s"} silenced</span> : null;
  if (open.total === 0) {
    return (
      <Link href="/incidents" className="inline-flex items-center gap-1 rounded-full border border-zinc-300 px-3 py-1 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="incident-badge">
        No open incidents {silenced}
      </Link>
    );
  }
  const parts = [
    open.critical ? `${open.critical} critical` : null,
    open.warning ? `${open.warning} warning` : null,
    open.info ? `${open.info} info` : null,
  ].filter(Boolean);
  const tone = open.critical
    ? "border-red-600 bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"
    : "border-amber-500 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200";
  return (
    <Link href="/incidents" className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm font-medium ${tone}`} data-testid="incident-badge">
      <span aria-hidden className="inline-block h-2 w-2 rounded-full bg-current" />
      {open.total} open incident{open.total === 1 ? "" : "s"}
      <span className="font-normal">({parts.join(", ")})</span>
      {silenced}
    </Link>
  );
}
