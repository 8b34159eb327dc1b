import Link from "next/link";
import { formatDuration, formatPeriod, formatUtc, secondsBetween } from "@/components/format/format";
import { RunStatusBadge } from "@/components/status/status-letter";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { RecentRun } from "@/lib/db/queries/select-service-recent-runs";
import { TableHeader } from "@/components/ui/table-header";

export function RecentRunsTable({ runs, now }: { runs: RecentRun[]; now: string }) {
  if (runs.length === 0) return <p className="text-sm text-zinc-500">No runs yet.</p>;
  return (
    <div className={TABLE_FRAME}>
      <table className={TABLE}>
        <caption className="sr-only">Most recent runs, newest first</caption>
        <TableHeader columns={["Run", "Status", "Period", "Attempt", "Trigger", "Started (UTC)", "Duration", "Host", "Exit"]} />
        <tbody className={TBODY}>
          {runs.map((r) => (
            <tr key={r.id}>
              <th scope="row" className={`${TD} text-left font-mono font-normal`}>
                <Link href={`/runs/${r.id}`} prefetch={false} className="hover:underline">
                  {r.id}
                </Link>
              </th>
              <td className={TD}>
                <RunStatusBadge status={r.status} />
              </td>
              <td className={`${TD} font-mono text-xs whitespace-nowrap`}>
                {formatPeriod(r.periodDate, r.periodHour)} <span className="text-zinc-500">{r.kind}</span>
              </td>
              <td className={`${TD} text-right`}>{r.attempt}</td>
              <td className={`${TD} text-xs`}>
                {r.trigger}
                {r.requestedBy ? <span className="text-zinc-500"> by {r.requestedBy}</span> : null}
              </td>
              <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(r.startedAt)}</td>
              <td className={`${TD} tabular-nums whitespace-nowrap`}>{formatDuration(secondsBetween(r.startedAt, r.finishedAt ?? (r.status === "running" ? now : null)))}</td>
              <td className={`${TD} font-mono text-xs`}>{r.host ?? "—"}</td>
              <td className={`${TD} font-mono text-xs`}>{r.exitCode ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
