"use client";

import { memo, useLayoutEffect, useMemo, useRef, type CSSProperties } from "react";
import { useHydrated } from "@/components/actions/use-hydrated";
import { GROUP_SIZE, groupHtml } from "@/components/grid/grid-html";
import type { Position } from "@/components/grid/grid-keys";

// A keyboard-first status grid (WAI-ARIA grid pattern): one tab stop, arrow keys move between
// cells, Home/End to the row's ends, Ctrl+Home/End to the grid's corners, PageUp/PageDown by 10
// rows, Enter opens a cell's run. Each cell is a letter and a colour (data-s, app/globals.css)
// with an aria-label such as "acme-corp, 2026-11-22: failed".
//
// Built for 1,000 rows × 7 columns (bench/dashboard measures it):
//  - ARIA roles on CSS-grid rows rather than a <table>: rows come in groups of 50 with
//    `content-visibility: auto` after the first, so the browser lays out and paints only the
//    groups on screen (and always the first: a small fleet shows whole in a full-page screenshot);
//  - each group's rows are HTML text (grid-html.ts) that React sets once and replaces only when
//    the group's letters change: no React element per cell to render, hydrate or diff;
//  - the keys are one handler on the document, inlined in the page's <head> (grid-keys.ts): the
//    grid answers arrow keys as soon as its first rows are parsed, before React hydrates, and a
//    key press touches two elements (roving tabindex), never React state;
//  - plain <a> links, so a run opens in a new tab like any link (Next's <Link> would prefetch);
//  - the server's HTML carries only the first SSR_GROUPS groups (what a screen shows), and a
//    placeholder of the right height for the rest, which the browser adds once React owns the
//    page: a 1,000-row home page is ~350 KiB of HTML instead of 1.4 MB, and hydrates sooner.

export type GridColumn = { key: string; label: string; title: string };
/** `cells` holds one letter per column; " " is a blank cell (outside the range shown), whose
 * aria-label comes from `cellLabels` like any other override. */
export type GridRowModel = {
  key: string;
  name: string;
  href: string | null;
  cells: string;
  hrefs: Array<string | null>;
  subtitle?: string;
  cellLabels?: Array<string | null>;
  /** column indexes whose period has an open incident: a small mark on the cell */
  marks?: number[];
};

type Props = { label: string; rowHeader: string; columns: GridColumn[]; rows: GridRowModel[]; emptyText?: string };

const ROW_PX = 30; // 1.75rem cell + 2px gap: the placeholder height of a group off screen
/** Groups in the server's HTML: 100 rows, more than any screen shows above the fold. */
const SSR_GROUPS = 2;

export function StatusGrid({ label, rowHeader, columns, rows, emptyText = "Nothing to show." }: Props) {
  const gridRef = useRef<HTMLDivElement>(null);
  const hydrated = useHydrated();
  const groups = useMemo(() => {
    const out: string[] = [];
    const end = hydrated ? rows.length : Math.min(rows.length, SSR_GROUPS * GROUP_SIZE);
    for (let start = 0; start < end; start += GROUP_SIZE) out.push(groupHtml(rows.slice(start, start + GROUP_SIZE), start, columns));
    return out;
  }, [rows, columns, hydrated]);
  const groupCount = Math.ceil(rows.length / GROUP_SIZE);

  // After every render (new data, new filter): exactly one tab stop, at the active cell that the
  // key handler keeps in data-r/data-c (kept within the rows shown); focus restored if a group's
  // new HTML replaced the focused element.
  useLayoutEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const active: Position = { r: Math.min(Number(grid.dataset.r ?? 0), Math.max(rows.length - 1, 0)), c: Math.min(Number(grid.dataset.c ?? 0), columns.length) };
    grid.dataset.r = String(active.r);
    grid.dataset.c = String(active.c);
    const target = moveTabStop(grid, active);
    if (grid.dataset.focused === "1" && target && !grid.contains(document.activeElement)) target.focus({ preventScroll: true });
  });

  if (rows.length === 0) return <p className="py-6 text-sm text-zinc-500">{emptyText}</p>;
  return (
    <div className="relative max-w-full overflow-x-auto">
      <div
        ref={gridRef}
        role="grid"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length + 1}
        className="status-grid text-xs"
        style={{ "--cols": columns.length } as CSSProperties}
      >
        <div role="rowgroup">
          <div role="row" aria-rowindex={1}>
            <div role="columnheader" className="self-end font-medium text-zinc-500">
              {rowHeader}
            </div>
            {columns.map((c) => (
              <div key={c.key} role="columnheader" title={c.title} className="text-center leading-tight font-medium whitespace-pre-line text-zinc-500">
                {c.label}
              </div>
            ))}
          </div>
        </div>
        {groups.map((html, g) => (
          <GridGroup key={g} html={html} rows={Math.min(GROUP_SIZE, rows.length - g * GROUP_SIZE)} />
        ))}
        {groups.length < groupCount ? <div aria-hidden style={{ height: (rows.length - groups.length * GROUP_SIZE) * ROW_PX }} /> : null}
      </div>
    </div>
  );
}

const GridGroup = memo(function GridGroup({ html, rows }: { html: string; rows: number }) {
  return <div role="rowgroup" className="status-grid-group" style={{ containIntrinsicSize: `auto ${rows * ROW_PX}px` }} dangerouslySetInnerHTML={{ __html: html }} />;
});

function focusTarget(grid: HTMLElement, p: Position): HTMLElement | null {
  const cell = grid.querySelector(`[aria-rowindex="${p.r + 2}"]`)?.children[p.c] as HTMLElement | undefined;
  if (!cell) return null;
  return cell.querySelector<HTMLElement>("a, [tabindex]") ?? cell;
}

/** Roving tabindex: the target becomes the grid's only tab stop. */
function moveTabStop(grid: HTMLElement, p: Position): HTMLElement | null {
  const target = focusTarget(grid, p);
  grid.querySelectorAll<HTMLElement>('[role="rowgroup"] [tabindex="0"]').forEach((el) => {
    if (el !== target) el.tabIndex = -1;
  });
  if (target) target.tabIndex = 0;
  return target;
}
