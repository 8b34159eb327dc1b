import { foldedResult } from "@/components/audit/audit-result";
import { formatUtc } from "@/components/format/format";
import { STACKED_HEAD, STACKED_ROW, STACKED_TABLE, TABLE, TABLE_FRAME, TBODY, TD, stacked } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/db/queries/select-audit-log";
import { TableHeader } from "@/components/ui/table-header";

const OUTCOME_CLASS: Record<string, string> = {
  ok: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  denied: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  error: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  pending: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

const CODE = "text-[11px] break-all text-zinc-600 dark:text-zinc-400";

function ResultCell({ result }: { result: unknown }) {
  const json = JSON.stringify(result);
  const folded = foldedResult(result, json);
  if (folded === null) return <code className={CODE}>{json}</code>;
  return (
    <details>
      <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">{folded}</summary>
      <pre className={`${CODE} mt-1 max-h-96 overflow-auto whitespace-pre-wrap`}>{JSON.stringify(result, null, 2)}</pre>
    </details>
  );
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-zinc-500">No audit entry matches.</p>;
  return (
    <div className={TABLE_FRAME}>
      <table className={`${TABLE} ${STACKED_TABLE}`}>
        <caption className="sr-only">Audit log, newest first</caption>
        <TableHeader columns={["When (UTC)", "Who", "Action", "Target", "Why", "Outcome", "Result"]} className={STACKED_HEAD} />
        <tbody className={TBODY}>
          {entries.map((e) => (
            <tr key={e.id} className={`align-top ${STACKED_ROW}`}>
              <th scope="row" data-label="When" className={stacked(`${TD} text-left text-xs font-normal whitespace-nowrap`)}>
                <time dateTime={e.at}>{formatUtc(e.at)}</time>
              </th>
              <td data-label="Who" className={stacked(`${TD} text-xs`)}>
                {e.actor}
              </td>
              <td data-label="Action" className={stacked(`${TD} font-mono text-xs`)}>
                {e.action}
              </td>
              <td data-label="Target" className={stacked(`${TD} min-w-48 font-mono text-xs [overflow-wrap:anywhere]`)}>
                {e.targetType}
                {e.targetName ? (
                  <>
                    {" "}
                    {e.targetName} <span className="block text-[11px] text-zinc-500">{e.targetId}</span>
                  </>
                ) : e.targetId ? (
                  ` ${e.targetId}`
                ) : (
                  ""
                )}
              </td>
              <td data-label="Why" className={stacked(`${TD} max-w-64 min-w-40 text-xs [overflow-wrap:anywhere]`)}>
                {e.reason ?? "—"}
              </td>
              <td data-label="Outcome" className={stacked(TD)}>
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_CLASS[e.outcome] ?? ""}`}>{e.outcome}</span>
              </td>
              <td data-label="Result" className={stacked(`${TD} max-w-80 min-w-56`)}>
                <ResultCell result={e.result} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
