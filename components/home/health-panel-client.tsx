"use client";

import { useQuery } from "@tanstack/react-query";
import { forgetRunnerRequest, forgetRunnerSentence, oneRunnerPauseRequest, oneRunnerPauseSentence } from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { formatAgo, shortReason } from "@/components/format/format";
import { healthQuery, type HealthView } from "@/components/live/query-options";
import type { RunnerHealth } from "@/lib/db/hosts/runners";
import type { PartHealth } from "@/lib/health/get-health";
import { runnerPlace } from "@/lib/presenters/runner-place";

// Component health, polled from /api/v1/health by the browser (not by the page's server render,
// so a scheduler that does not answer never delays the page). Status is a word and a colour. An
// operator can pause a live runner (drain its host) and forget one that is down for good.

const STATUS_CLASS: Record<PartHealth["status"], string> = {
  ok: "bg-emerald-600 text-white",
  down: "bg-red-600 text-white",
  unknown: "bg-zinc-300 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-200",
};

function Badge({ status }: { status: PartHealth["status"] }) {
  return <span className={`inline-block min-w-14 rounded px-1.5 py-0.5 text-center text-xs font-medium ${STATUS_CLASS[status]}`}>{status}</span>;
}

type Row = { name: string; part: PartHealth; runner?: RunnerHealth };

function rows(h: HealthView): Row[] {
  const parts: Row[] = [
    { name: "Database", part: h.parts.database },
    { name: "Scheduler", part: h.parts.scheduler },
    ...h.runners.map((r) => ({
      name: `Runner ${r.id} on ${runnerPlace(r)}`,
      part: { status: r.status, latencyMs: null, detail: runnerDetail(r, h.checkedAt) } as PartHealth,
      runner: r,
    })),
    // an older web server's answer has no alerts part
    ...(h.parts.alerts ? [{ name: "Alerts", part: h.parts.alerts }] : []),
    { name: "Web", part: { status: h.parts.web.status, latencyMs: h.webRoundTripMs, detail: "round trip from this browser" } as PartHealth },
  ];
  if (h.runners.length === 0) parts.splice(2, 0, { name: "Runners", part: h.parts.runner });
  return parts;
}

function runnerDetail(r: RunnerHealth, now: string): string {
  const running = r.runningRuns > 0 ? ` · ${r.runningRuns} running` : "";
  return `heartbeat ${r.heartbeatAgeSeconds}s ago${running}${r.paused ? ` · ${pausedBy(r.pause, now)}: claims no new run` : ""}`;
}

/** "paused by bob@example.com 12m ago (“disk swap”)": who, when and why, for the operator who wonders. */
function pausedBy(pause: RunnerHealth["pause"], now: string): string {
  if (!pause?.by) return "paused";
  return `paused by ${pause.by}${pause.at ? ` ${formatAgo(pause.at, now)}` : ""}${pause.reason ? ` (“${shortReason(pause.reason)}”)` : ""}`;
}

/** Forget a runner that is down; pause or resume one that is alive. */
function RunnerAction({ runner }: { runner: RunnerHealth }) {
  const [label, sentence, request] =
    runner.status === "down"
      ? ["Forget", forgetRunnerSentence(runner.id, runner.host), forgetRunnerRequest(runner.id)]
      : runner.paused
        ? ["Resume", oneRunnerPauseSentence(runner.id, runner.host, false), oneRunnerPauseRequest(runner.id, false)]
        : ["Pause", oneRunnerPauseSentence(runner.id, runner.host, true), oneRunnerPauseRequest(runner.id, true)];
  return <ConfirmAction small label={label} ariaLabel={`${label} runner ${runner.id}`} title={`${label} runner ${runner.id}`} sentence={sentence} request={request} />;
}

export function HealthPanel({ canAct }: { canAct: boolean }) {
  const { data, error } = useQuery(healthQuery());
  return (
    <section aria-labelledby="health-heading" className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <h2 id="health-heading" className="text-sm font-medium text-zinc-500">
        Component health {data ? <span className="font-normal">· overall {data.status}</span> : null}
      </h2>
      {error ? <p className="mt-2 text-sm text-red-700 dark:text-red-400">Cannot check health: {String((error as Error).message)}</p> : null}
      {!data && !error ? <p className="mt-2 text-sm text-zinc-500">Checking…</p> : null}
      {data ? (
        <table className="mt-2 w-full text-sm">
          <thead className="sr-only">
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Status</th>
              <th scope="col">Latency</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows(data).map(({ name, part, runner }) => (
              <tr key={name} className="align-top">
                <th scope="row" className="py-1 pr-2 text-left font-normal">
                  {name}
                </th>
                <td className="py-1 pr-2">
                  <Badge status={part.status} />
                </td>
                <td className="py-1 pr-2 text-right font-mono text-xs whitespace-nowrap tabular-nums">{part.latencyMs === null ? "—" : `${part.latencyMs} ms`}</td>
                <td className="py-1 text-xs text-zinc-500">
                  {part.detail}
                  {canAct && runner ? (
                    <span className="ml-2">
                      <RunnerAction runner={runner} />
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
