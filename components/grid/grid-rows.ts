import type { GridColumn, GridRowModel } from "@/components/grid/status-grid-client";
import type { GridRow } from "@/lib/presenters/daily-grid";

// Presenter rows → the grid component's rows and columns.

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function dateColumns(dates: string[]): GridColumn[] {
  // two lines ("Wed" over "18"): a 2rem column is narrower than "Wed 18"
  return dates.map((d) => ({ key: d, label: `${WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()]}\n${d.slice(8)}`, title: d }));
}

export function hourColumns(date: string): GridColumn[] {
  return Array.from({ length: 24 }, (_, h) => {
    const hh = String(h).padStart(2, "0");
    return { key: hh, label: hh, title: `${date} ${hh}:00` };
  });
}

export function toGridRowModels(rows: GridRow[]): GridRowModel[] {
  return rows.map((r) => ({
    key: String(r.service.id),
    name: r.service.name,
    href: `/services/${r.service.name}`,
    cells: r.cells,
    hrefs: r.runIds.map((id) => (id === null ? null : `/runs/${id}`)),
    subtitle: r.service.paused ? "paused" : !r.service.enabled ? "disabled" : r.service.silencedUntil ? "silenced" : undefined,
    marks: r.marks,
  }));
}
