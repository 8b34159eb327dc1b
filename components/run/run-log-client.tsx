"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { LOG_KEEP_CHARS, runLogQuery } from "@/components/live/query-options";
import { LogSearch } from "@/components/run/log-search-client";

/** The run's log: its tail, then what is appended every 2 s while the run is running. */
export function RunLog({ runId, running }: { runId: number; running: boolean }) {
  const { data, error } = useQuery(runLogQuery(runId, running));
  const [stick, setStick] = useState(true);
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (stick && ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [data?.text, stick]);
  if (error) return <p className="text-sm text-red-700 dark:text-red-400">Cannot read the log: {(error as Error).message}</p>;
  if (!data) return <p className="text-sm text-zinc-500">Loading the log…</p>;
  if (data.refused) return <p className="text-sm text-amber-700 dark:text-amber-400">{data.refused}</p>;
  if (data.missing && data.deletedAfterDays !== undefined)
    return <p className="text-sm text-zinc-500">The log was deleted: runners keep run logs {data.deletedAfterDays} days after their last line (SWITCHYARD_RUN_LOG_DAYS).</p>;
  if (data.missing && data.path)
    return (
      <p className="max-w-prose text-sm text-zinc-500">
        No log file at <span className="font-mono break-all">{data.path}</span> on this web server.
        {data.host ? ` It was written on ${data.host}: the dashboard reads run logs from its own SWITCHYARD_LOG_DIR (the runners' folder, shared) or from the runner that wrote them, when that runner gives its SWITCHYARD_RUNNER_URL.` : ""}
      </p>
    );
  if (data.missing) return <p className="text-sm text-zinc-500">The runner recorded no log file for this run.</p>;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-4 text-xs text-zinc-500">
        <span className="font-mono break-all">{data.path}</span>
        <span>{data.size.toLocaleString("en")} bytes{data.start > 0 || data.text.length >= LOG_KEEP_CHARS ? " · showing the end" : ""}</span>
        {running ? <span aria-live="polite">following (every 2 s)</span> : null}
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={stick} onChange={(e) => setStick(e.target.checked)} /> Keep scrolled to the end
        </label>
      </div>
      {data.kept ? (
        <p className="max-w-prose text-sm text-amber-700 dark:text-amber-400" data-testid="log-kept">
          {data.kept}
        </p>
      ) : null}
      <pre ref={ref} tabIndex={0} aria-label="Run log" className="max-h-[32rem] overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-zinc-100">
        {data.text || "(empty)"}
      </pre>
      <LogSearch runId={runId} kept={Boolean(data.kept)} />
    </div>
  );
}
