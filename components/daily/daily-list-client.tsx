"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LiveStatus } from "@/components/live/live-status";
import { daysQuery } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import { StatusLetter } from "@/components/status/status-letter";
import { Pager } from "@/components/ui/pager";
import { TABLE, TABLE_FRAME, TBODY, TD, TH, THEAD } from "@/components/ui/table";
import type { DailyListData } from "@/lib/presenters/get-daily-list-data";
import type { PeriodLetter } from "@/lib/presenters/period-status";

const COLUMNS: Array<{ letter: PeriodLetter; key: keyof DailyListData["days"][number]["counts"]; label: string }> = [
  { letter: "D", key: "done", label: "done" },
  { letter: "R", key: "running", label: "running" },
  { letter: "P", key: "pending", label: "pending" },
  { letter: "F", key: "failed", label: "failed" },
  { letter: "C", key: "cancelled", label: "cancelled" },
  { letter: "M", key: "missing", label: "missing" },
  { letter: "–", key: "notDue", label: "not due" },
];

export function DailyListClient({ initialData, before }: { initialData: DailyListData; before: string | null }) {
  const { data, error } = useQuery({ ...daysQuery(before), initialData, initialDataUpdatedAt: Date.parse(initialData.generatedAt) });
  useIdlePulse(!data.active, dashboardKeys.days(before));
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Daily runs</h1>
        <LiveStatus generatedAt={data.generatedAt} active={data.active} error={error} />
      </div>
      <Pager
        label="Days"
        prev={data.newer ? `/daily?before=${data.newer}` : null}
        next={`/daily?before=${data.older}`}
        prevLabel="← Newer days"
        nextLabel="Older days →"
      />
      <div className={TABLE_FRAME}>
        <table className={TABLE}>
          <caption className="sr-only">Daily periods per day, newest first</caption>
          <thead className={THEAD}>
            <tr>
              <th scope="col" className={TH}>
                Day
              </th>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={`${TH} text-right`}>
                  <span className="inline-flex items-center gap-1">
                    <StatusLetter letter={c.letter} /> {c.label}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={TBODY}>
            {data.days.map((d) => (
              <tr key={d.date}>
                <th scope="row" className={`${TD} text-left font-mono font-normal whitespace-nowrap`}>
                  <Link href={`/daily/${d.date}`} className="hover:underline">
                    {d.date}
                  </Link>
                </th>
                {COLUMNS.map((c) => {
                  const value = d.counts[c.key];
                  const bad = value > 0 && (c.letter === "F" || c.letter === "M");
                  return (
                    <td key={c.key} className={`${TD} text-right tabular-nums ${bad ? "font-semibold text-red-700 dark:text-red-400" : value === 0 ? "text-zinc-400" : ""}`}>
                      {value}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
