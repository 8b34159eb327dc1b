"use client";

import { useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { pulseQuery } from "@/components/live/query-options";

// While nothing is running a page polls its read model slowly (SLOW_POLL_MS); this tiny probe
// (three index lookups server-side) keeps "a run starting appears within 5 seconds" true in the
// meantime: when the pulse token changes, the page's query is refetched at once.

export function useIdlePulse(idle: boolean, queryKey: QueryKey) {
  const client = useQueryClient();
  const { data } = useQuery({ ...pulseQuery(), enabled: idle });
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (!data) return;
    if (last.current !== null && last.current !== data.token) void client.invalidateQueries({ queryKey });
    last.current = data.token;
  }, [data, client, queryKey]);
}
