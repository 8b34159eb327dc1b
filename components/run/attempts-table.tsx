import Link from "next/link";
import { formatDuration, formatUtc, secondsBetween } from "@/components/format/format";
import { RunStatusBadge } from "@/components/status/status-letter";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { Attempt } from "@/lib/db/queries/select-period-attempts";
import { TableHeader } from "@/components/ui/table-header";

/** Every run of the period; the latest (last row) decides the period's status. */
export function AttemptsTable({ attempts, currentId }: { attempts: Attempt[]; currentId: number }) {
  return (
    <div className={TABLE_FRAME}>
      <table className={TABLE}>
        <caption className="sr-only">Every run of this period, oldest first</caption>
        <TableHeader columns={["Run", "Attempt", "Status", "Trigger", "Requested by", "Queued (UTC)", "Started", "Duration", "Host", "Exit"]} />
        <tbody className={TBODY}>
          {attempts.map((a) => (
            <tr key={a.id} aria-current={a.id === currentId ? "true" : undefined} className={a.id === currentId ? "bg-sky-50 dark:bg-sky-950/40" : ""}>
              <th scope="row" className={`${TD} text-left font-mono font-normal`}>
                {a.id === currentId ? (
                  <span>{a.id} (this run)</span>
                ) : (
                  <Link href={`/runs/${a.id}`} className="underline">
                    {a.id}
                  </Link>
                )}
              </th>
              <td className={`${TD} text-right`}>{a.attempt}</td>
              <td className={TD}>
                <RunStatusBadge status={a.status} />
              </td>
              <td className={`${TD} text-xs`}>
                {a.trigger}
                {a.force ? " · forced" : ""}
              </td>
              <td className={`${TD} text-xs`}>
                {a.requestedBy ?? "—"}
                {a.reason ? <div className="text-zinc-500">“{a.reason}”</div> : null}
              </td>
              <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(a.queuedAt)}</td>
              <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(a.startedAt)}</td>
              <td className={`${TD} tabular-nums`}>{formatDuration(secondsBetween(a.startedAt, a.finishedAt))}</td>
              <td className={`${TD} font-mono text-xs`}>{a.host ?? "—"}</td>
              <td className={`${TD} font-mono text-xs`}>{a.exitCode ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
