import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { findServiceOrThrow } from "@/lib/control/find-service";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import type { Queryable, Run } from "@/lib/db/runs/run-columns";
import { selectFailedPeriods, type FailedPeriod } from "@/lib/db/runs/select-failed-periods";
import { queuePriority } from "@/lib/runner/run-states";
import { RERUN_FAILED_LIMIT, type RerunFailedInput } from "@/lib/schemas/runs";

// POST /api/v1/runs/rerun-failed: after an outage of something many services share (the
// warehouse, a credentials store), re-run every period whose latest run failed or was lost in the
// last `hours` (24: what the home page lists as failed) — of enabled services, optionally of one
// kind or one service — in one audited action instead of one click per row. Each is a plain
// re-run (tasks already done are kept), queued as manual runs. dryRun lists the periods and
// writes nothing; `failedRuns` narrows it to the failed runs a dry run listed (the dashboard sends
// what it showed, so what is confirmed is what was shown — a failure since is left for the next
// round, one re-run meanwhile is skipped). At most 500 at a time, oldest failure first (`more`
// says there are others: ask again). With a requestKey, each period's run gets "<key>:<run id it re-runs>", so a repeated
// request queues nothing new.

export type FailedPeriodView = { failedRunId: number; service: string; kind: "daily" | "hourly"; period: string; status: string; finishedAt: string; servicePaused: boolean };
export type RerunFailedAnswer = { periods: FailedPeriodView[]; more: boolean; runs: Run[]; alreadyActive: Array<{ failedRunId: number; runId: number; status: string }>; message: string };

const view = (p: FailedPeriod): FailedPeriodView => ({
  failedRunId: p.runId,
  service: p.serviceName,
  kind: p.kind,
  period: p.kind === "hourly" && p.periodHour !== null ? `${p.periodDate}T${String(p.periodHour).padStart(2, "0")}` : p.periodDate,
  status: p.status,
  finishedAt: p.finishedAt.toISOString(),
  servicePaused: p.servicePaused,
});

async function plan(db: Queryable, input: RerunFailedInput, now: Date) {
  const serviceId = input.service ? (await findServiceOrThrow(db, input.service)).id : undefined;
  return selectFailedPeriods(db, { hours: input.hours, now, kind: input.kind, serviceId, runIds: input.failedRuns, limit: RERUN_FAILED_LIMIT });
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** A paused service's re-run is queued but not claimed: say so, or the operator waits for it. */
function pausedNote(periods: FailedPeriod[], dryRun: boolean): string {
  const waiting = periods.filter((p) => p.servicePaused);
  if (waiting.length === 0) return "";
  const paused = [...new Set(waiting.map((p) => p.serviceName))];
  const names = paused.length <= 3 ? paused.join(", ") : `${paused.slice(0, 3).join(", ")} and ${paused.length - 3} more`;
  const verb = dryRun ? "would wait" : waiting.length === 1 ? "waits" : "wait";
  return `; ${waiting.length} ${verb} until ${waiting.length === 1 ? "its" : "their"} ${paused.length === 1 ? "service is" : "services are"} resumed (paused: ${names})`;
}

export async function rerunFailed(pool: pg.Pool, actor: Actor, input: RerunFailedInput, now = new Date()): Promise<RerunFailedAnswer> {
  if (input.dryRun) {
    const { periods, more } = await plan(pool, input, now);
    const message = periods.length === 0 ? `No failed period in the last ${plural(input.hours, "hour")}` : `${plural(periods.length, "failed period")}${more ? " (and more)" : ""} would be re-run${pausedNote(periods, true)}`;
    return { periods: periods.map(view), more, runs: [], alreadyActive: [], message };
  }
  return audited(
    pool,
    actor,
    { intent: "run.rerun-failed", targetId: input.service ?? "all", reason: input.reason },
    async (db) => {
      const { periods, more } = await plan(db, input, now);
      const answers = await enqueueRuns(
        db,
        periods.map((p) => ({
          serviceId: p.serviceId,
          kind: p.kind,
          periodStart: p.periodStart,
          periodDate: p.periodDate,
          periodHour: p.periodHour,
          trigger: "manual" as const,
          queuePriority: queuePriority.manual,
          force: false,
          fromTask: null,
          requestKey: input.requestKey ? `${input.requestKey}:${p.runId}` : null,
          requestedBy: actorLabel(actor),
          reason: input.reason ?? null,
        })),
      );
      const runs = answers.filter((a) => a.existing !== "active").map((a) => a.run);
      const alreadyActive = answers.flatMap((a, i) => (a.existing === "active" ? [{ failedRunId: periods[i].runId, runId: a.run.id, status: a.run.status }] : []));
      const message =
        periods.length === 0
          ? `No failed period in the last ${plural(input.hours, "hour")}: nothing was queued`
          : `Queued ${plural(runs.length, "re-run")} of ${plural(periods.length, "failed period")}${alreadyActive.length ? ` (${alreadyActive.length} already had a run queued or running)` : ""}${pausedNote(periods, false)}${more ? `; more failed periods are left: re-run failed again` : ""}`;
      return { periods: periods.map(view), more, runs, alreadyActive, message };
    },
    (r) => ({ hours: input.hours, kind: input.kind ?? null, periods: r.periods.length, more: r.more, runIds: r.runs.map((run) => run.id), alreadyActive: r.alreadyActive }),
  );
}
