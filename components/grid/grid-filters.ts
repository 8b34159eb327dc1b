import { PROBLEM_LETTERS, type PeriodLetter } from "@/lib/presenters/period-status";
import type { GridRow } from "@/lib/presenters/daily-grid";

// Filtering and sorting of grid rows in the browser (a thousand rows filter in well under a
// frame). Filters live in the URL (?q=&status=&label=&problems=1&disabled=1&sort=) so a view can be
// shared. Disabled services are left out unless asked for: a team that moved from the demo fleet
// to its own services file should not scroll past two dozen retired rows.

export type SortKey = "name" | "problems" | "latest";
/** disabled: show disabled services too. */
export type GridFilters = { q: string; status: PeriodLetter | ""; label: string; problems: boolean; disabled: boolean; sort: SortKey };

export const DEFAULT_FILTERS: GridFilters = { q: "", status: "", label: "", problems: false, disabled: false, sort: "name" };

export function filtersFromParams(params: URLSearchParams): GridFilters {
  const sort = params.get("sort");
  const status = params.get("status") ?? "";
  return {
    q: params.get("q") ?? "",
    status: (["D", "R", "P", "F", "C", "M"].includes(status) ? status : "") as GridFilters["status"],
    label: params.get("label") ?? "",
    problems: params.get("problems") === "1",
    disabled: params.get("disabled") === "1",
    sort: sort === "problems" || sort === "latest" ? sort : "name",
  };
}

/** The page's query string with these filters, keeping its other parameters (?date=…). */
export function filtersToSearch(f: GridFilters, base: URLSearchParams = new URLSearchParams()): string {
  const p = new URLSearchParams(base);
  for (const key of ["q", "status", "label", "problems", "disabled", "sort"]) p.delete(key);
  if (f.q) p.set("q", f.q);
  if (f.status) p.set("status", f.status);
  if (f.label) p.set("label", f.label);
  if (f.problems) p.set("problems", "1");
  if (f.disabled) p.set("disabled", "1");
  if (f.sort !== "name") p.set("sort", f.sort);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** How bad a row looks: failures weigh more than missing periods, recent ones more than old. */
export function problemScore(cells: string): number {
  let score = 0;
  for (let i = 0; i < cells.length; i++) {
    const weight = cells[i] === "F" ? 2 : cells[i] === "M" ? 1 : 0;
    score += weight * (i + 1);
  }
  return score;
}

const SEVERITY: Record<string, number> = { F: 6, M: 5, R: 4, P: 3, C: 2, D: 1, "–": 0 };

/** The letter of the latest period that is due or has a run. */
export function latestLetter(cells: string): string {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== "–") return cells[i];
  return "–";
}

export function applyGridFilters(rows: GridRow[], f: GridFilters): GridRow[] {
  const q = f.q.trim().toLowerCase();
  const out = rows.filter((r) => {
    if (!f.disabled && !r.service.enabled) return false;
    if (q && !r.service.name.includes(q) && !r.service.displayName.toLowerCase().includes(q)) return false;
    if (f.label && !r.service.labels.includes(f.label)) return false;
    if (f.status && !r.cells.includes(f.status)) return false;
    if (f.problems && ![...r.cells].some((c) => PROBLEM_LETTERS.has(c as PeriodLetter))) return false;
    return true;
  });
  if (f.sort === "problems") {
    const scores = new Map(out.map((r) => [r.service.id, problemScore(r.cells)]));
    out.sort((a, b) => scores.get(b.service.id)! - scores.get(a.service.id)! || a.service.name.localeCompare(b.service.name));
  } else if (f.sort === "latest") {
    out.sort((a, b) => SEVERITY[latestLetter(b.cells)] - SEVERITY[latestLetter(a.cells)] || a.service.name.localeCompare(b.service.name));
  }
  return out;
}

export function countDisabled(rows: GridRow[]): number {
  let n = 0;
  for (const r of rows) if (!r.service.enabled) n++;
  return n;
}

export function labelsOf(rows: GridRow[]): string[] {
  return [...new Set(rows.flatMap((r) => r.service.labels))].sort();
}
