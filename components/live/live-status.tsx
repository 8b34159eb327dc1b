"use client";

import { formatUtc } from "@/components/format/format";
import { FAST_POLL_MS, SLOW_POLL_MS } from "@/components/live/query-options";

/** "Live" line under a page title: when the data was read, how often it refreshes, and errors. */
export function LiveStatus({ generatedAt, active, error }: { generatedAt: string; active: boolean; error: unknown }) {
  const every = (active ? FAST_POLL_MS : SLOW_POLL_MS) / 1000;
  return (
    <p className="text-xs text-zinc-500" role="status" aria-live="polite">
      {error ? (
        <span className="text-red-700 dark:text-red-400">Cannot refresh: {error instanceof Error ? error.message : "unknown error"}. Retrying. </span>
      ) : null}
      As of {formatUtc(generatedAt)} UTC · {active ? `runs in progress, refreshing every ${every} s` : `nothing running, refreshing every ${every} s and on any new run`}
    </p>
  );
}
