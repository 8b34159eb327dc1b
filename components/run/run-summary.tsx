import Link from "next/link";
import { formatAgo, formatBytes, formatDuration, formatPeriod, formatUtc, secondsBetween } from "@/components/format/format";
import { RunStatusBadge } from "@/components/status/status-letter";
import type { RunDetail } from "@/lib/db/queries/select-run";

/** A queued run that may not start yet (a retry's backoff): when, and why — null when it may start now. */
export function startsLine(run: Pick<RunDetail, "status" | "notBefore" | "trigger">, now: string): string | null {
  if (run.status !== "queued" || (secondsBetween(now, run.notBefore) ?? 0) < 1) return null;
  const why = run.trigger === "retry" ? "the retry policy's backoff; re-running the period starts it now" : "its period's scheduled time";
  return `not before ${formatUtc(run.notBefore)} UTC (${formatAgo(run.notBefore, now)}): ${why}`;
}

export function RunSummary({ run, now }: { run: RunDetail; now: string }) {
  const end = run.finishedAt ?? (run.status === "running" ? now : null);
  const starts = startsLine(run, now);
  const items: Array<[string, React.ReactNode]> = [
    ["Service", <Link key="s" href={`/services/${run.serviceName}`} className="underline">{run.serviceName}</Link>],
    ["Period", `${formatPeriod(run.periodDate, run.periodHour)} ${run.kind} (${run.timeZone})`],
    ["Attempt", `#${run.attempt} · ${run.trigger}${run.force ? " · forced" : ""}`],
    ["Requested by", run.requestedBy ? `${run.requestedBy}${run.reason ? ` — “${run.reason}”` : ""}` : "—"],
    ["Queued", `${formatUtc(run.queuedAt)} UTC`],
    ...(starts ? ([["Starts", starts]] as Array<[string, React.ReactNode]>) : []),
    ["Started", run.startedAt ? `${formatUtc(run.startedAt)} UTC` : "—"],
    ["Last update", run.lastUpdateAt ? `${formatUtc(run.lastUpdateAt)} UTC` : "—"],
    ["Finished", run.finishedAt ? `${formatUtc(run.finishedAt)} UTC` : "—"],
    ["Duration", formatDuration(secondsBetween(run.startedAt, end))],
    ["Worker", run.host ? `${run.host}${run.pid ? ` · pid ${run.pid}` : ""}${run.runnerId ? ` · runner ${run.runnerId}` : ""}` : "—"],
    ["Exit code", run.exitCode ?? "—"],
    ["CPU / peak memory", `${run.cpuSeconds === null ? "—" : formatDuration(run.cpuSeconds)} / ${formatBytes(run.peakMemoryBytes)}`],
    ["Root task", run.rootTaskId ? <code key="r" className="break-all">{run.rootTaskId}</code> : "—"],
    ["Command", run.command ? <code key="c" className="break-all">{run.command}</code> : "—"],
  ];
  if (run.fromTask) items.push(["From task", <code key="f">{run.fromTask}</code>]);
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3">
        <RunStatusBadge status={run.status} />
      </div>
      <dl className="grid gap-x-6 gap-y-1.5 text-sm sm:grid-cols-[auto_1fr]">
        {items.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-500">{k}</dt>
            <dd className="min-w-0">{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
