import type { GridRow } from "@/lib/presenters/daily-grid";
import type { IncidentMarks } from "@/lib/db/alerts/select-incident-marks";

/**
 * Sets `marks` (the column indexes with an open incident) on the grid rows that have any. Rows
 * without incidents get no field at all: the home page's HTML carries the read model, and at
 * 1,000 services every byte per row counts (bench/dashboard: ≤ 500 KiB).
 */
export function markIncidentCells(rows: GridRow[], dates: string[], cells: IncidentMarks["cells"]): void {
  if (cells.length === 0) return;
  const column = new Map(dates.map((d, i) => [d, i]));
  const rowOf = new Map(rows.map((r) => [r.service.id, r]));
  for (const [serviceId, date] of cells) {
    const row = rowOf.get(serviceId);
    const col = column.get(date);
    if (!row || col === undefined) continue;
    (row.marks ??= []).push(col);
  }
  for (const row of rows) row.marks?.sort((a, b) => a - b);
}
