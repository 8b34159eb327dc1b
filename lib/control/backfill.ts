import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { invalid } from "@/lib/control/errors";
import { findRunnableServiceOrThrow } from "@/lib/control/find-service";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import type { Queryable, Run } from "@/lib/db/runs/run-columns";
import { queuePriority } from "@/lib/runner/run-states";
import { periodLabel, periodsOnDates } from "@/lib/runner/schedule/periods";
import type { BackfillInput } from "@/lib/schemas/runs";

// POST /api/v1/backfill: one run per period of a date range (service-local dates, inclusive),
// queued after scheduled runs. Periods that have not started yet are left out. dryRun lists the
// periods and writes nothing (not even an audit entry: nothing was done). With a requestKey, each
// period's run gets "<key>:<period>", so repeating the request queues nothing new. A period that
// already has an active run (queued or running: a scheduled one, a re-run, another backfill)
// gets no second one: it is listed in `alreadyActive` with that run.

export type BackfillAnswer = { periods: string[]; runs: Run[]; alreadyActive: Array<{ period: string; runId: number; status: string }> };

async function plan(db: Queryable, input: BackfillInput, now: Date) {
  const service = await findRunnableServiceOrThrow(db, input.service);
  if (input.kind === "hourly" && !service.hourlyCommand) throw invalid(`${service.name} has no hourly command`, [{ path: "kind", message: "the service has no hourly command" }]);
  const schedule = { timeZone: service.timeZone, dailyTime: service.dailyTime, hourlyEnabled: true, hourlyMinute: service.hourlyMinute };
  const periods = periodsOnDates(schedule, input.kind, input.from, input.to).filter((p) => p.start <= now);
  return { service, periods };
}

export async function backfill(pool: pg.Pool, actor: Actor, input: BackfillInput, now = new Date()): Promise<BackfillAnswer> {
  if (input.dryRun) {
    const { periods } = await plan(pool, input, now);
    return { periods: periods.map(periodLabel), runs: [], alreadyActive: [] };
  }
  return audited(
    pool,
    actor,
    { intent: "run.backfill", targetId: input.service, reason: input.reason },
    async (db) => {
      const { service, periods } = await plan(db, input, now);
      const answers = await enqueueRuns(
        db,
        periods.map((p) => ({
          serviceId: service.id,
          kind: input.kind,
          periodStart: p.start,
          periodDate: p.date,
          periodHour: p.hour,
          trigger: "backfill" as const,
          queuePriority: queuePriority.backfill,
          force: input.force,
          fromTask: null,
          requestKey: input.requestKey ? `${input.requestKey}:${periodLabel(p)}` : null,
          requestedBy: actorLabel(actor),
          reason: input.reason ?? null,
        })),
      );
      const labels = periods.map(periodLabel);
      return {
        periods: labels,
        runs: answers.filter((a) => a.existing !== "active").map((a) => a.run),
        alreadyActive: answers.flatMap((a, i) => (a.existing === "active" ? [{ period: labels[i], runId: a.run.id, status: a.run.status }] : [])),
      };
    },
    (r) => ({ kind: input.kind, from: input.from, to: input.to, force: input.force, periods: r.periods.length, runIds: r.runs.map((run) => run.id), alreadyActive: r.alreadyActive }),
  );
}
