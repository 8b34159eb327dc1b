import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import type { Run } from "@/lib/db/runs/run-columns";
import { audited } from "@/lib/runner/control/audited";
import { findServiceOrThrow } from "@/lib/runner/control/find-service";
import { badRequest } from "@/lib/api/errors";
import { queuePriority } from "@/lib/runner/run-states";
import { periodLabel, periodsOnDates } from "@/lib/runner/schedule/periods";
import type { BackfillInput } from "@/lib/schemas/runs";

// POST /api/v1/backfill: one run per period of a date range (service-local dates, inclusive),
// queued after scheduled runs. Periods that have not started yet are left out. dryRun lists the
// periods and writes nothing (not even an audit entry: nothing was done). With a requestKey, each
// period's run gets "<key>:<period>", so repeating the request queues nothing new.

export async function backfill(pool: pg.Pool, actor: Actor, input: BackfillInput, now = new Date()): Promise<{ periods: string[]; runs: Run[] }> {
  const plan = async () => {
    const service = await findServiceOrThrow(pool, input.service);
    if (input.kind === "hourly" && !service.hourlyCommand) throw badRequest(`${service.name} has no hourly command`, [{ path: "kind", message: "the service has no hourly command" }]);
    const schedule = { timeZone: service.timeZone, dailyTime: service.dailyTime, hourlyEnabled: true, hourlyMinute: service.hourlyMinute };
    const periods = periodsOnDates(schedule, input.kind, input.from, input.to).filter((p) => p.start <= now);
    return { service, periods };
  };
  if (input.dryRun) {
    const { periods } = await plan();
    return { periods: periods.map(periodLabel), runs: [] };
  }
  return audited(
    pool,
    actor,
    { action: "run.backfill", targetType: "service", targetId: input.service, reason: input.reason },
    async () => {
      const { service, periods } = await plan();
      const answers = await enqueueRuns(
        pool,
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
      return { periods: periods.map(periodLabel), runs: answers.map((a) => a.run) };
    },
    (r) => ({ kind: input.kind, from: input.from, to: input.to, force: input.force, periods: r.periods.length, runIds: r.runs.map((run) => run.id) }),
  );
}
