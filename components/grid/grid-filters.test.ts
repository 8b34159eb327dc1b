import { describe, expect, it } from "vitest";
import { applyGridFilters, countDisabled, DEFAULT_FILTERS, filtersFromParams, filtersToSearch } from "@/components/grid/grid-filters";
import type { GridRow } from "@/lib/presenters/daily-grid";

const row = (name: string, enabled: boolean, cells = "DDDDDDD"): GridRow => ({
  service: { id: name.length, name, displayName: name, labels: [], enabled, paused: false },
  cells,
  runIds: [],
});

describe("grid filters", () => {
  const rows = [row("shop", true), row("demo-a", false, "FFFFFFF"), row("paused-one", true)];

  it("leave disabled services out unless asked for, and count them", () => {
    expect(applyGridFilters(rows, DEFAULT_FILTERS).map((r) => r.service.name)).toEqual(["shop", "paused-one"]);
    expect(applyGridFilters(rows, { ...DEFAULT_FILTERS, disabled: true }).map((r) => r.service.name)).toEqual(["shop", "demo-a", "paused-one"]);
    // "only problems" does not bring a disabled service's failures back
    expect(applyGridFilters(rows, { ...DEFAULT_FILTERS, problems: true })).toEqual([]);
    expect(countDisabled(rows)).toBe(1);
  });

  it("keep the switch in the URL, next to the page's other parameters", () => {
    const search = filtersToSearch({ ...DEFAULT_FILTERS, disabled: true, problems: true }, new URLSearchParams("date=2026-12-01"));
    expect(search).toBe("?date=2026-12-01&problems=1&disabled=1");
    expect(filtersFromParams(new URLSearchParams(search))).toEqual({ ...DEFAULT_FILTERS, disabled: true, problems: true });
    expect(filtersToSearch(DEFAULT_FILTERS)).toBe("");
  });
});
