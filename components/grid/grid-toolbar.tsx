"use client";

import type { GridFilters, SortKey } from "@/components/grid/grid-filters";
import { LETTER_LABELS } from "@/lib/presenters/period-status";

const field = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** Name search, status and label filters, "only problems" and "show disabled" switches and sort order for a grid. */
export function GridToolbar({
  filters,
  onChange,
  labels,
  shown,
  total,
  disabledCount,
}: {
  filters: GridFilters;
  onChange: (next: GridFilters) => void;
  labels: string[];
  shown: number;
  total: number;
  /** disabled services among the rows; the switch to show them appears only when there are some */
  disabledCount: number;
}) {
  const set = <K extends keyof GridFilters>(key: K, value: GridFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm" role="search">
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Name</span>
        <input type="search" value={filters.q} onChange={(e) => set("q", e.target.value)} placeholder="service name" className={`${field} w-44`} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Has status</span>
        <select value={filters.status} onChange={(e) => set("status", e.target.value as GridFilters["status"])} className={field}>
          <option value="">any</option>
          {(["F", "M", "R", "P", "C", "D"] as const).map((l) => (
            <option key={l} value={l}>
              {l} · {LETTER_LABELS[l]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Label</span>
        <select value={filters.label} onChange={(e) => set("label", e.target.value)} className={`${field} max-w-48`}>
          <option value="">any</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Sort</span>
        <select value={filters.sort} onChange={(e) => set("sort", e.target.value as SortKey)} className={field}>
          <option value="name">name</option>
          <option value="problems">most problems first</option>
          <option value="latest">latest status, worst first</option>
        </select>
      </label>
      <Switch on={filters.problems} onToggle={() => set("problems", !filters.problems)} colour="bg-red-600" label="Only problems (F, M)" />
      {disabledCount > 0 || filters.disabled ? <Switch on={filters.disabled} onToggle={() => set("disabled", !filters.disabled)} colour="bg-zinc-600" label={`Show disabled (${disabledCount})`} /> : null}
      <span className="ml-auto text-xs text-zinc-500" aria-live="polite">
        {shown} of {total} services
      </span>
    </div>
  );
}

function Switch({ on, onToggle, colour, label }: { on: boolean; onToggle: () => void; colour: string; label: string }) {
  return (
    <label className="flex items-center gap-2 py-1">
      <button type="button" role="switch" aria-checked={on} onClick={onToggle} className={`relative h-5 w-9 rounded-full transition-colors ${on ? colour : "bg-zinc-300 dark:bg-zinc-700"}`}>
        <span className={`absolute top-0.5 left-0.5 h-4 w-4 rounded-full bg-white transition-transform ${on ? "translate-x-4" : ""}`} />
      </button>
      <span>{label}</span>
    </label>
  );
}
