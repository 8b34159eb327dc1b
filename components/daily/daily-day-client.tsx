"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { RunActions } from "@/components/actions/run-actions-client";
import { DoneBy, ratioOf, VersusUsual } from "@/components/daily/duration-cells";
import { formatDuration, formatUtc } from "@/components/format/format";
import { LiveStatus } from "@/components/live/live-status";
import { dayQuery } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import { StatusLetter } from "@/components/status/status-letter";
import { Pager } from "@/components/ui/pager";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { DailyDayData, DayRow } from "@/lib/presenters/get-daily-day-data";
import { LETTER_LABELS, PROBLEM_LETTERS } from "@/lib/presenters/period-status";
import { TableHeader } from "@/components/ui/table-header";
import { useServerRows } from "@/components/ui/use-server-rows";

type Sort = "name" | "status" | "slowest";
const SEVERITY: Record<string, number> = { F: 6, M: 5, R: 4, P: 3, C: 2, D: 1, "–": 0 };

const isProblem = (r: DayRow) => PROBLEM_LETTERS.has(r.letter) || r.doneBy === "missed" || (ratioOf(r) ?? 0) >= 2;

function sortRows(rows: DayRow[], sort: Sort): DayRow[] {
  if (sort === "name") return rows;
  const out = [...rows];
  if (sort === "status") out.sort((a, b) => SEVERITY[b.letter] - SEVERITY[a.letter] || a.service.name.localeCompare(b.service.name));
  else out.sort((a, b) => (ratioOf(b) ?? -1) - (ratioOf(a) ?? -1));
  return out;
}

export function DailyDayClient({ initialData, canAct }: { initialData: DailyDayData; canAct: boolean }) {
  const { data, error } = useQuery({ ...dayQuery(initialData.date), initialData, initialDataUpdatedAt: Date.parse(initialData.generatedAt) });
  useIdlePulse(!data.active, dashboardKeys.day(data.date));
  const [q, setQ] = useState("");
  const [problems, setProblems] = useState(false);
  const [sort, setSort] = useState<Sort>("name");
  const filter = useDeferredValue({ q, problems, sort });
  const rows = useMemo(() => {
    const needle = filter.q.trim().toLowerCase();
    const kept = data.rows.filter((r) => (!needle || r.service.name.includes(needle)) && (!filter.problems || isProblem(r)));
    return sortRows(kept, filter.sort);
  }, [data.rows, filter]);
  const { shown, pending } = useServerRows(rows);
  const missed = data.rows.filter((r) => r.doneBy === "missed").length;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">
          Daily runs for <span className="font-mono">{data.date}</span>
        </h1>
        <LiveStatus generatedAt={data.generatedAt} active={data.active} error={error} />
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <Pager label="Day" prev={`/daily/${data.previous}`} next={data.next ? `/daily/${data.next}` : null} prevLabel="← Previous day" nextLabel="Next day →" />
        <Link href={`/hourly?date=${data.date}`} className="text-sm underline">
          Hourly runs of this day
        </Link>
        <p className="text-sm">
          {missed > 0 ? <span className="font-semibold text-red-700 dark:text-red-400">{missed} missed their expected-done-by time</span> : "No expected-done-by time missed"}
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3 text-sm" role="search">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">Name</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} className="w-44 rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">Sort</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)} className="rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900">
            <option value="name">name</option>
            <option value="status">status, worst first</option>
            <option value="slowest">slowest against usual</option>
          </select>
        </label>
        <label className="flex items-center gap-2 py-1">
          <input type="checkbox" checked={problems} onChange={(e) => setProblems(e.target.checked)} />
          Only problems (failed, missing, late, twice as slow)
        </label>
        <span className="ml-auto text-xs text-zinc-500">
          {rows.length} of {data.rows.length} services
        </span>
      </div>
      <div className={TABLE_FRAME}>
        <table className={TABLE}>
          <caption className="sr-only">Every service&apos;s daily run for {data.date}</caption>
          <TableHeader columns={["Service", "Status", "Trigger", "Attempts", "Started (UTC)", "Last update", "Duration", "Usual", "vs usual", "Expected done by (UTC)", ...(canAct ? ["Actions"] : [])]} />
          <tbody className={TBODY}>
            {shown.map((r) => (
              <DayRowView key={r.service.id} row={r} canAct={canAct} date={data.date} />
            ))}
          </tbody>
        </table>
        {pending > 0 ? <p className="p-3 text-sm text-zinc-500">Loading {pending} more services…</p> : null}
      </div>
    </div>
  );
}

/** Why a row has no run and none is missing. */
function noRunNote(row: DayRow): string {
  if (row.noRun === "added") return `service added ${formatUtc(row.serviceAddedAt)}`;
  if (row.noRun === "paused" || row.noRun === "disabled") return `service ${row.noRun}`;
  return row.dueAt ? `due ${formatUtc(row.dueAt)}` : "no such day in its time zone";
}

function DayRowView({ row, canAct, date }: { row: DayRow; canAct: boolean; date: string }) {
  const run = row.run;
  return (
    <tr className="align-top">
      <th scope="row" className={`${TD} text-left font-normal whitespace-nowrap`}>
        <Link href={`/services/${row.service.name}`} prefetch={false} className="hover:underline">
          {row.service.name}
        </Link>
      </th>
      <td className={TD}>
        {run ? (
          <Link href={`/runs/${run.runId}`} prefetch={false} className="inline-flex items-center gap-1.5 hover:underline">
            <StatusLetter letter={row.letter} /> {run.status}
          </Link>
        ) : (
          <>
            <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
              <StatusLetter letter={row.letter} /> {row.noRun === null || row.noRun === "due" ? LETTER_LABELS[row.letter] : "not expected"}
            </span>
            {row.noRun ? <div className="text-xs whitespace-nowrap text-zinc-500">{noRunNote(row)}</div> : null}
          </>
        )}
      </td>
      <td className={`${TD} text-xs`}>{run?.trigger ?? "—"}</td>
      <td className={`${TD} text-right tabular-nums`}>{run?.attempts ?? 0}</td>
      <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(run?.startedAt)}</td>
      <td className={`${TD} text-xs whitespace-nowrap`}>{formatUtc(run?.lastUpdateAt)}</td>
      <td className={`${TD} tabular-nums whitespace-nowrap`}>{formatDuration(run?.durationSeconds)}</td>
      <td className={`${TD} tabular-nums whitespace-nowrap text-zinc-500`}>{formatDuration(row.usualSeconds)}</td>
      <td className={`${TD} whitespace-nowrap`}>
        <VersusUsual row={row} />
      </td>
      <td className={`${TD} whitespace-nowrap`}>
        <DoneBy row={row} />
      </td>
      {canAct ? (
        <td className={TD}>
          {/* a missing period is re-run like a failed one: a new run for the day */}
          <RunActions
            run={{ id: run?.runId ?? 0, serviceName: row.service.name, kind: "daily", periodDate: date, periodHour: null, trigger: run?.trigger }}
            status={run?.status ?? (row.letter === "M" ? "failed" : "none")}
            small
          />
        </td>
      ) : null}
    </tr>
  );
}
