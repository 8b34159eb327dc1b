// The status grid's keyboard (WAI-ARIA grid pattern), as one delegated handler rather than a React
// handler per grid: the root layout inlines it (GRID_KEYS_SCRIPT) in <head>, so arrow keys move
// the focus as soon as the server's rows are parsed, before React has hydrated the page. The key
// listener is on the window in the capture phase and stops the keys it handles there: React
// hydrates the whole page synchronously when a key press reaches an element it has not hydrated
// yet, which made the first arrow key on a 1,000-service home page wait for all of it
// (bench/dashboard/trace.ts). Both functions below are serialised with toString(), so they must
// stay self-contained: no imports, no module-level constants, no closures over anything outside.

export type Position = { r: number; c: number };

/** Where a key press moves the focus. Column 0 is the row header; PageUp/PageDown move 10 rows. */
export function nextPosition(p: Position, key: string, ctrl: boolean, lastRow: number, lastCol: number): Position | null {
  const clamp = (r: number, c: number) => ({ r: Math.max(0, Math.min(lastRow, r)), c: Math.max(0, Math.min(lastCol, c)) });
  switch (key) {
    case "ArrowRight":
      return clamp(p.r, p.c + 1);
    case "ArrowLeft":
      return clamp(p.r, p.c - 1);
    case "ArrowDown":
      return clamp(p.r + 1, p.c);
    case "ArrowUp":
      return clamp(p.r - 1, p.c);
    case "Home":
      return ctrl ? clamp(0, 0) : clamp(p.r, 0);
    case "End":
      return ctrl ? clamp(lastRow, lastCol) : clamp(p.r, lastCol);
    case "PageDown":
      return clamp(p.r + 10, p.c);
    case "PageUp":
      return clamp(p.r - 10, p.c);
    default:
      return null;
  }
}

/**
 * Listens on `doc` for keys and focus inside any `.status-grid[role=grid]`. The grid's state lives
 * in its DOM: rows by aria-rowindex, the size in aria-rowcount/aria-colcount, the active cell in
 * data-r/data-c (which StatusGrid reads back after a re-render), and one tab stop (roving tabindex).
 */
export function installGridKeys(doc: Document, next: typeof nextPosition): void {
  const gridOf = (el: EventTarget | null) => (el instanceof Element ? el.closest<HTMLElement>('.status-grid[role="grid"]') : null);
  const positionOf = (el: Element): Position | null => {
    const cell = el.closest('[role="gridcell"], [role="rowheader"]');
    const row = cell?.parentElement;
    const index = Number(row?.getAttribute("aria-rowindex"));
    if (!cell || !row || !(index >= 2)) return null;
    return { r: index - 2, c: Array.prototype.indexOf.call(row.children, cell) };
  };
  const cellAt = (grid: HTMLElement, p: Position): HTMLElement | null => {
    const cell = grid.querySelector(`[aria-rowindex="${p.r + 2}"]`)?.children[p.c] as HTMLElement | undefined;
    return cell ? (cell.querySelector<HTMLElement>("a, [tabindex]") ?? cell) : null;
  };
  const moveTabStop = (grid: HTMLElement, target: HTMLElement, p: Position) => {
    grid.querySelectorAll<HTMLElement>('[role="rowgroup"] [tabindex="0"]').forEach((el) => {
      if (el !== target) el.tabIndex = -1;
    });
    target.tabIndex = 0;
    grid.dataset.r = String(p.r);
    grid.dataset.c = String(p.c);
  };

  const onKey = (e: KeyboardEvent) => {
    const grid = gridOf(e.target);
    const pos = grid && positionOf(e.target as Element);
    if (!grid || !pos || e.defaultPrevented || e.altKey) return;
    const lastCol = Number(grid.getAttribute("aria-colcount")) - 1;
    // Before hydration only the server's first rows exist: the last row present bounds the move.
    const rows = grid.querySelectorAll('[role="rowgroup"] > [role="row"]');
    const lastRow = Math.min(Number(grid.getAttribute("aria-rowcount")) - 2, Number(rows[rows.length - 1]?.getAttribute("aria-rowindex")) - 2);
    const to = next(pos, e.key, e.ctrlKey || e.metaKey, lastRow, lastCol);
    const target = to && cellAt(grid, to);
    if (!to || !target) return;
    e.preventDefault();
    e.stopPropagation();
    moveTabStop(grid, target, to);
    target.focus();
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  doc.defaultView?.addEventListener("keydown", onKey, true);
  doc.addEventListener("focusin", (e) => {
    const grid = gridOf(e.target);
    const pos = grid && positionOf(e.target as Element);
    if (!grid || !pos) return;
    grid.dataset.focused = "1";
    moveTabStop(grid, e.target as HTMLElement, pos);
  });
  doc.addEventListener("focusout", (e) => {
    const grid = gridOf(e.target);
    if (!grid || grid.contains(e.relatedTarget as Node | null)) return;
    // Decided once the DOM has settled: a cell replaced by the grid's refresh (runs going on) loses
    // focus without the user moving it, and keeps the grid's focus (restored here, or by the grid's
    // layout effect); a cell still in the page lost it to the user (a click elsewhere, Tab away).
    const cell = e.target as HTMLElement;
    setTimeout(() => {
      if (cell.isConnected) {
        if (!grid.contains(doc.activeElement)) delete grid.dataset.focused;
        return;
      }
      if (grid.dataset.focused !== "1" || grid.contains(doc.activeElement)) return;
      const back = cellAt(grid, { r: Number(grid.dataset.r ?? 0), c: Number(grid.dataset.c ?? 0) });
      if (back && (doc.activeElement === null || doc.activeElement === doc.body)) back.focus({ preventScroll: true });
    }, 0);
  });
}

/**
 * The inline <head> script of the root layout. The __name shim: tsx (the bench harness,
 * bench/dashboard/render.ts) compiles with keepNames, which wraps inner functions in a __name()
 * helper that exists only in its own module; Next's compiler does not. With the shim the
 * serialised source runs whichever compiled it.
 */
export const GRID_KEYS_SCRIPT = `(function(){var __name=function(f){return f};(${installGridKeys.toString()})(document,${nextPosition.toString()})})()`;
