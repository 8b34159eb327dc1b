import Link from "next/link";
import { useState } from "react";
import { RerunFailedAction } from "@/components/actions/rerun-failed-action-client";
import { RunActions } from "@/components/actions/run-actions-client";
import { formatAgo, formatParams, formatPeriod, formatUtc } from "@/components/format/format";
import { RunStatusBadge } from "@/components/status/status-letter";
import { PARAMS_TD } from "@/components/ui/table";
import type { ActiveRun } from "@/lib/db/queries/select-active-runs";

// Running, failed-today and pending runs with the root task's family and parameters (from
// Luigi's history), the worker (host · pid) and since when. Failures come before the queue, and
// a long list (a catch-up, a backfill, a bad night) shows its first rows until asked for all, so
// the weekly grid below stays in reach.

const FAILED_SHOWN = 20;
const QUEUED_SHOWN = 10;

function since(run: ActiveRun): string | null {
  if (run.status === "running") return run.startedAt;
  if (run.status === "queued") return run.queuedAt;
  return run.finishedAt;
}

export function ActiveRunsTable({ runs: all, now, canAct }: { runs: ActiveRun[]; now: string; canAct: boolean }) {
  const [showAll, setShowAll] = useState(false);
  const running = all.filter((r) => r.status === "running");
  const failed = all.filter((r) => r.status !== "running" && r.status !== "queued");
  const queued = all.filter((r) => r.status === "queued");
  const runs = showAll ? [...running, ...failed, ...queued] : [...running, ...failed.slice(0, FAILED_SHOWN), ...queued.slice(0, QUEUED_SHOWN)];
  const hidden = all.length - runs.length;
  return (
    <section aria-labelledby="active-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="active-heading" className="text-lg font-semibold">
          Running, failed today and pending <span className="text-sm font-normal text-zinc-500">({all.length})</span>
        </h2>
        {/* always there (disabled with no failure): its dialog must outlive the failures it re-runs */}
        {canAct ? <RerunFailedAction failed={failed.length} /> : null}
      </div>
      {all.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing is running, queued or failed in the last 24 hours.</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Runs that are running, queued, or failed in the last 24 hours</caption>
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Service</th>
                <th scope="col" className="px-3 py-2">Period</th>
                <th scope="col" className="px-3 py-2">Task family</th>
                <th scope="col" className="px-3 py-2">Parameters</th>
                <th scope="col" className="px-3 py-2">Worker</th>
                <th scope="col" className="px-3 py-2">Since (UTC)</th>
                <th scope="col" className="px-3 py-2">Attempt</th>
                {canAct ? (
                  <th scope="col" className="px-3 py-2">
                    Actions
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {runs.map((r) => (
                <tr key={r.id} className="align-top">
                  <td className="px-3 py-2">
                    <Link href={`/runs/${r.id}`} prefetch={false} className="hover:underline" aria-label={`run ${r.id}: ${r.status}`}>
                      <RunStatusBadge status={r.status} />
                    </Link>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Link href={`/services/${r.serviceName}`} prefetch={false} className="hover:underline">
                      {r.serviceName}
                    </Link>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">
                    {formatPeriod(r.periodDate, r.periodHour)} <span className="text-zinc-500">{r.kind}</span>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{r.family ?? <span className="text-zinc-500">not in history yet</span>}</td>
                  <td className={PARAMS_TD}>{formatParams(r.params)}</td>
                  <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{r.host ? `${r.host}${r.pid ? ` · ${r.pid}` : ""}` : "—"}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    {formatUtc(since(r))} <span className="block text-zinc-500">{formatAgo(since(r), now)}</span>
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    #{r.attempt} · {r.trigger}
                  </td>
                  {canAct ? (
                    <td className="px-3 py-2 whitespace-nowrap">
                      <RunActions run={r} status={r.status} small />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {hidden > 0 ? (
            <p className="border-t border-zinc-100 px-3 py-2 text-sm dark:border-zinc-800">
              {hidden} more not shown ({failed.length} failed, {queued.length} queued in all).{" "}
              <button type="button" className="underline" onClick={() => setShowAll(true)}>
                Show all {all.length}
              </button>
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
