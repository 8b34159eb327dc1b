import { LETTER_LABELS, type PeriodLetter } from "@/lib/presenters/period-status";
import type { GridColumn, GridRowModel } from "@/components/grid/status-grid-client";

// The grid's rows as HTML text, 50 rows per group. A 1,000-row grid is 16,000 elements; as React
// elements they cost ~10× more to server-render and to hydrate than the browser's HTML parser
// takes for the same markup (bench/dashboard/README: the grid went from ~2.2 s to well under
// 1 s interactive). React owns one element per group and swaps a group's HTML only when its
// letters change. Everything interpolated is escaped; names are also constrained by the
// services_name_check constraint.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

export const GROUP_SIZE = 50;

/** One row: header cell (a link to the service), then one cell per column. */
export function rowHtml(row: GridRowModel, r: number, columns: GridColumn[]): string {
  // Before the grid's script runs, the first row's name is the one tab stop (the roving
  // tabindex takes over after hydration).
  const headTab = r === 0 ? "0" : "-1";
  const name = escapeHtml(row.name);
  let html = `<div role="row" aria-rowindex="${r + 2}"><div role="rowheader">`;
  // title: the full name where a narrow screen cuts it with an ellipsis
  html += row.href ? `<a href="${escapeHtml(row.href)}" tabindex="${headTab}" title="${name}">${name}</a>` : `<span tabindex="${headTab}" title="${name}">${name}</span>`;
  if (row.subtitle) html += ` <span class="status-grid-sub">${escapeHtml(row.subtitle)}</span>`;
  html += "</div>";
  for (let i = 0; i < columns.length; i++) {
    const letter = (row.cells[i] ?? "–") as PeriodLetter;
    // an open incident: a mark drawn by CSS ([data-i]) and said in the label, never colour alone
    const marked = row.marks?.includes(i) ?? false;
    const label = escapeHtml((row.cellLabels?.[i] ?? `${row.name}, ${columns[i].title}: ${LETTER_LABELS[letter] ?? ""}`) + (marked ? ", open incident" : ""));
    const mark = marked ? " data-i" : "";
    const href = row.hrefs[i];
    html += href
      ? `<div role="gridcell"><a href="${escapeHtml(href)}" tabindex="-1" aria-label="${label}" data-s="${letter}"${mark}>${letter}</a></div>`
      : `<div role="gridcell" tabindex="-1" aria-label="${label}" data-s="${letter}"${mark}>${letter}</div>`;
  }
  return html + "</div>";
}

export function groupHtml(rows: GridRowModel[], start: number, columns: GridColumn[]): string {
  let html = "";
  for (let i = 0; i < rows.length; i++) html += rowHtml(rows[i], start + i, columns);
  return html;
}
