"use client";

import Link from "next/link";
import { formatUtc } from "@/components/format/format";
import { useDeferredValue, useMemo, useState } from "react";
import { FailureSparkline } from "@/components/services/failure-sparkline";
import { StatusLetter } from "@/components/status/status-letter";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { ServicesData } from "@/lib/presenters/get-services-data";
import { TableHeader } from "@/components/ui/table-header";
import { useServerRows } from "@/components/ui/use-server-rows";

const field = "rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900";

export function ServicesTable({ data }: { data: ServicesData }) {
  const [q, setQ] = useState("");
  const [label, setLabel] = useState("");
  const filter = useDeferredValue({ q, label });
  const rows = useMemo(() => {
    const needle = filter.q.trim().toLowerCase();
    return data.rows.filter(
      (r) => (!needle || r.service.name.includes(needle) || r.service.displayName.toLowerCase().includes(needle)) && (!filter.label || r.service.labels.includes(filter.label)),
    );
  }, [data.rows, filter]);
  const { shown, pending } = useServerRows(rows);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3 text-sm" role="search">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">Name</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} className={`${field} w-48`} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">Label</span>
          <select value={label} onChange={(e) => setLabel(e.target.value)} className={field}>
            <option value="">any</option>
            {data.labels.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <span className="ml-auto text-xs text-zinc-500">
          {rows.length} of {data.rows.length} services
        </span>
      </div>
      <div className={TABLE_FRAME}>
        <table className={TABLE}>
          <caption className="sr-only">Services</caption>
          <TableHeader columns={["Service", "Latest daily", "Failures, 90 days", "State", "Daily at", "Hourly", "Expected done by", "Labels"]} />
          <tbody className={TBODY}>
            {shown.map((r) => (
              <tr key={r.service.id}>
                <th scope="row" className={`${TD} text-left font-normal`}>
                  <Link href={`/services/${r.service.name}`} prefetch={false} className="font-medium hover:underline">
                    {r.service.name}
                  </Link>
                  <div className="text-xs text-zinc-500">{r.service.displayName}</div>
                </th>
                <td className={`${TD} whitespace-nowrap`}>
                  {r.latest ? (
                    <Link href={`/runs/${r.latest.runId}`} prefetch={false} className="inline-flex items-center gap-1.5 hover:underline">
                      <StatusLetter letter={r.latest.letter} /> <span className="font-mono text-xs">{r.latest.date}</span> {r.latest.status}
                    </Link>
                  ) : (
                    <span className="text-zinc-500">no runs</span>
                  )}
                </td>
                <td className={TD}>
                  <FailureSparkline weeks={r.failureWeeks} service={r.service.name} />
                </td>
                <td className={TD}>
                  {r.service.paused ? "paused" : r.service.enabled ? "enabled" : "disabled"}
                  {r.service.silencedUntil ? (
                    <div className="text-xs whitespace-nowrap text-amber-700 dark:text-amber-400" title={`alerts silenced until ${formatUtc(r.service.silencedUntil)} UTC`}>
                      silenced to {formatUtc(r.service.silencedUntil)}
                    </div>
                  ) : null}
                </td>
                <td className={`${TD} whitespace-nowrap`}>
                  {r.dailyTime} <span className="text-xs text-zinc-500">{r.timeZone}</span>
                </td>
                <td className={`${TD} text-xs`}>{r.hourly ?? "—"}</td>
                <td className={TD}>{r.expectedDoneBy ?? "—"}</td>
                <td className={`${TD} text-xs`}>{r.service.labels.join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pending > 0 ? <p className="p-3 text-sm text-zinc-500">Loading {pending} more services…</p> : null}
      </div>
    </div>
  );
}
