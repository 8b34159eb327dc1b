import Link from "next/link";
import { formatAgo, formatUtc } from "@/components/format/format";
import { IncidentActions } from "@/components/incidents/incident-actions-client";
import { STACKED_HEAD, STACKED_ROW, STACKED_TABLE, stacked } from "@/components/ui/table";
import type { IncidentView } from "@/lib/presenters/get-incidents-data";

// Open incidents first (oldest on top, with their age), then the recently resolved ones. An open
// one of a service whose alerts are silenced says so: its messages are held, nobody was paged.

const SEVERITY: Record<string, string> = {
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  info: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200",
};

const cell = (classes: string) => stacked(classes, "max-sm:before:w-24");

export function IncidentsTable({ incidents, now, canAct, silencedUntil = {} }: { incidents: IncidentView[]; now: string; canAct: boolean; silencedUntil?: Record<string, string> }) {
  if (incidents.length === 0) return <p className="text-sm text-zinc-500">No incidents: nothing failed, late, slow or stuck.</p>;
  return (
    <table className={`w-full text-left text-sm ${STACKED_TABLE}`}>
      <thead className={`text-xs text-zinc-500 ${STACKED_HEAD}`}>
        <tr>
          <th className="py-1 pr-3">State</th>
          <th className="py-1 pr-3">Age</th>
          <th className="py-1 pr-3">About</th>
          <th className="py-1 pr-3">Rule</th>
          <th className="py-1 pr-3">Period</th>
          <th className="py-1 pr-3">What</th>
          <th className="py-1 pr-3">Acknowledged</th>
          {canAct ? <th className="py-1">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id} className={`border-t border-zinc-200 align-top dark:border-zinc-800 ${STACKED_ROW}`} data-incident={i.id} data-status={i.status}>
            <td data-label="State" className={cell("py-1 pr-3")}>
              <span className={`rounded px-1.5 py-0.5 text-xs ${i.status === "open" ? SEVERITY[i.severity] : SEVERITY.info}`}>
                {i.status === "open" ? i.severity : "resolved"}
              </span>
            </td>
            <td data-label="Age" className={cell("py-1 pr-3 whitespace-nowrap")} title={formatUtc(i.openedAt)}>
              {i.status === "open" ? formatAgo(i.openedAt, now) : `resolved ${formatAgo(i.resolvedAt, now)} by ${i.resolvedBy ?? "?"}`}
            </td>
            <td data-label="About" className={cell("py-1 pr-3")}>
              <div className="min-w-0">
                {i.service ? (
                  <Link href={`/services/${encodeURIComponent(i.service)}`}>{i.service}</Link>
                ) : i.about?.href ? (
                  <Link href={i.about.href}>{i.about.text}</Link>
                ) : i.about ? (
                  i.about.text
                ) : (
                  "–"
                )}
                {i.status === "open" && i.service && silencedUntil[i.service] ? (
                  <div className="text-xs text-amber-700 dark:text-amber-400" data-testid="incident-silenced">
                    silenced until {formatUtc(silencedUntil[i.service])} UTC: not paged
                  </div>
                ) : null}
              </div>
            </td>
            <td data-label="Rule" className={cell("py-1 pr-3 font-mono text-xs")}>{i.rule}</td>
            <td data-label="Period" className={cell("py-1 pr-3 whitespace-nowrap")}>{i.period ?? "–"}</td>
            <td data-label="What" className={cell("min-w-80 py-1 pr-3")}>
              <div className="min-w-0">
                {i.runId ? <Link href={`/runs/${i.runId}`}>{i.summary}</Link> : i.summary}
                {i.error ? <div className="font-mono text-xs [overflow-wrap:anywhere] text-zinc-500">{i.error.split("\n")[0].slice(0, 200)}</div> : null}
                {i.reopened > 0 ? <div className="text-xs text-zinc-500">re-opened {i.reopened}×</div> : null}
              </div>
            </td>
            <td data-label="Acknowledged" className={cell("py-1 pr-3")}>
              {i.acknowledgedBy ? `${i.acknowledgedBy}, ${formatAgo(i.acknowledgedAt, now)}` : "–"}
            </td>
            {canAct ? (
              <td data-label="Actions" className={cell("py-1")}>
                {i.status === "open" ? <IncidentActions id={i.id} what={i.summary} acknowledged={i.acknowledgedBy !== null} /> : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
