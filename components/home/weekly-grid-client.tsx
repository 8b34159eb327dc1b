"use client";

import { useDeferredValue, useMemo } from "react";
import { applyGridFilters, countDisabled, labelsOf } from "@/components/grid/grid-filters";
import { dateColumns, toGridRowModels } from "@/components/grid/grid-rows";
import { GridToolbar } from "@/components/grid/grid-toolbar";
import { StatusGrid } from "@/components/grid/status-grid-client";
import { useGridFilters } from "@/components/grid/use-grid-filters";
import { StatusLegend } from "@/components/status/status-letter";
import type { HomeData } from "@/lib/presenters/get-home-data";

/** Every service × the last 7 days: one letter per cell, a cell opens its run. */
export function WeeklyGrid({ grid }: { grid: HomeData["grid"] }) {
  const [filters, setFilters] = useGridFilters();
  // Typing stays responsive while a thousand rows re-filter behind it.
  const deferred = useDeferredValue(filters);
  // keyed by value: a poll brings a new array with the same dates, and rows memoise on columns
  const datesKey = grid.dates.join(",");
  const columns = useMemo(() => dateColumns(datesKey.split(",")), [datesKey]);
  const labels = useMemo(() => labelsOf(grid.rows), [grid.rows]);
  const disabledCount = useMemo(() => countDisabled(grid.rows), [grid.rows]);
  const rows = useMemo(() => toGridRowModels(applyGridFilters(grid.rows, deferred)), [grid.rows, deferred]);
  return (
    <section aria-labelledby="week-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="week-heading" className="text-lg font-semibold">
          Past week
        </h2>
        <StatusLegend />
      </div>
      <GridToolbar filters={filters} onChange={setFilters} labels={labels} shown={rows.length} total={grid.totalRows ?? grid.rows.length} disabledCount={disabledCount} />
      <p className="text-xs text-zinc-500">Dates are each service&apos;s own (its time zone). Arrow keys move between cells; Enter opens a run.</p>
      <StatusGrid label="Daily runs of every service over the past week" rowHeader="Service" columns={columns} rows={rows} emptyText="No service matches these filters." />
      {grid.totalRows !== undefined ? <p className="text-xs text-zinc-500">Loading the other {grid.totalRows - grid.rows.length} services…</p> : null}
    </section>
  );
}
