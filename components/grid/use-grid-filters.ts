"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { filtersFromParams, filtersToSearch, type GridFilters } from "@/components/grid/grid-filters";

/** Grid filters, initialised from and written back to the URL (replaceState: no history spam). */
export function useGridFilters(): [GridFilters, (next: GridFilters) => void] {
  const params = useSearchParams();
  const [filters, setFilters] = useState(() => filtersFromParams(new URLSearchParams(params.toString())));
  const update = useCallback((next: GridFilters) => {
    setFilters(next);
    const search = filtersToSearch(next, new URLSearchParams(window.location.search));
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${search}`);
  }, []);
  return [filters, update];
}
