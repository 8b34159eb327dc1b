"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useMemo } from "react";
import { applyGridFilters, countDisabled, labelsOf } from "@/components/grid/grid-filters";
import { hourColumns, toGridRowModels } from "@/components/grid/grid-rows";
import { GridToolbar } from "@/components/grid/grid-toolbar";
import { StatusGrid } from "@/components/grid/status-grid-client";
import { useGridFilters } from "@/components/grid/use-grid-filters";
import { LiveStatus } from "@/components/live/live-status";
import { hourlyQuery } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import { StatusLegend } from "@/components/status/status-letter";
import { Pager } from "@/components/ui/pager";
import type { HourlyData } from "@/lib/presenters/get-hourly-data";

/** Services × 24 service-local hours of one date. */
export function HourlyClient({ initialData, requestedDate }: { initialData: HourlyData; requestedDate: string | null }) {
  const { data, error } = useQuery({ ...hourlyQuery(requestedDate), initialData, initialDataUpdatedAt: Date.parse(initialData.generatedAt) });
  useIdlePulse(!data.active, dashboardKeys.hourly(requestedDate));
  const [filters, setFilters] = useGridFilters();
  const deferred = useDeferredValue(filters);
  const columns = useMemo(() => hourColumns(data.date), [data.date]);
  const labels = useMemo(() => labelsOf(data.rows), [data.rows]);
  const disabledCount = useMemo(() => countDisabled(data.rows), [data.rows]);
  const rows = useMemo(() => toGridRowModels(applyGridFilters(data.rows, deferred)), [data.rows, deferred]);
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">
          Hourly runs for <span className="font-mono">{data.date}</span>
        </h1>
        <LiveStatus generatedAt={data.generatedAt} active={data.active} error={error} />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <Pager label="Day" prev={`/hourly?date=${data.previous}`} next={data.next ? `/hourly?date=${data.next}` : null} prevLabel="← Previous day" nextLabel="Next day →" />
        <form action="/hourly" className="flex items-center gap-2 text-sm">
          <label htmlFor="hourly-date" className="text-zinc-500">
            Day
          </label>
          <input id="hourly-date" type="date" name="date" defaultValue={data.date} className="rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900" />
          <button type="submit" className="rounded border border-zinc-300 px-2 py-1 dark:border-zinc-700">
            Show
          </button>
        </form>
        <StatusLegend />
      </div>
      <GridToolbar filters={filters} onChange={setFilters} labels={labels} shown={rows.length} total={data.rows.length} disabledCount={disabledCount} />
      <p className="text-xs text-zinc-500">Hours are each service&apos;s local hours on this date.</p>
      <StatusGrid label={`Hourly runs on ${data.date}`} rowHeader="Service" columns={columns} rows={rows} emptyText="No service runs hourly, or none matches these filters." />
    </div>
  );
}
