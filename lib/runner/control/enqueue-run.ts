import type pg from "pg";
import { badRequest, conflict } from "@/lib/api/errors";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import { getRun } from "@/lib/db/runs/get-runs";
import type { Run } from "@/lib/db/runs/run-columns";
import { audited } from "@/lib/runner/control/audited";
import { findServiceOrThrow } from "@/lib/runner/control/find-service";
import { queuePriority } from "@/lib/runner/run-states";
import { dailyPeriod, hourlyPeriod, type Period } from "@/lib/runner/schedule/periods";
import type { ServiceRecord } from "@/lib/db/services/service-record";
import type { EnqueueRunInput } from "@/lib/schemas/runs";

// POST /api/v1/runs: re-run a period, optionally forced, or from a failed task. A manual run
// goes before scheduled ones in the queue. The same requestKey returns the same run (created
// false), so a double click launches once.

export function resolvePeriod(service: ServiceRecord, kind: "daily" | "hourly", text: string, now = new Date()): Period {
  const schedule = { timeZone: service.timeZone, dailyTime: service.dailyTime, hourlyMinute: service.hourlyMinute };
  const period = kind === "daily" ? dailyPeriod(schedule, text) : hourlyPeriod(schedule, text.slice(0, 10), Number(text.slice(11, 13)));
  if (!period) throw badRequest(`${text} is not a ${kind} period of ${service.name} (in ${service.timeZone} that ${kind === "daily" ? "day" : "hour"} does not exist)`, [{ path: "period", message: "no such period" }]);
  if (period.start > now) throw badRequest(`${text} has not started yet in ${service.timeZone}`, [{ path: "period", message: "in the future" }]);
  if (kind === "hourly" && !service.hourlyCommand) throw badRequest(`${service.name} has no hourly command`, [{ path: "kind", message: "the service has no hourly command" }]);
  return period;
}

/**
 * Two runs of one period at once would race for the same outputs. While one is running, a new
 * request is refused and names it. While one is only queued, a plain re-run moves it to the front
 * (manual priority) instead of queueing a second; a forced or from-task request is refused, since
 * the queued run would not do what it asks. A repeated requestKey still gets its own run back.
 */
async function activeRunAnswer(pool: pg.Pool, serviceId: number, kind: string, periodStart: Date, input: EnqueueRunInput): Promise<{ run: Run; created: false } | null> {
  const { rows } = await pool.query<{ id: string; status: string; request_key: string | null; force: boolean; from_task: string | null }>(
    `SELECT id, status, request_key, force, from_task FROM runs
      WHERE service_id = $1 AND kind = $2 AND period_start = $3 AND status IN ('queued', 'running')
      ORDER BY id DESC LIMIT 1`,
    [serviceId, kind, periodStart],
  );
  const active = rows[0];
  if (!active || (input.requestKey != null && active.request_key === input.requestKey)) return null;
  const plain = !input.force && !input.fromTask;
  if (active.status === "queued" && plain) {
    await pool.query("UPDATE runs SET queue_priority = LEAST(queue_priority, $2) WHERE id = $1 AND status = 'queued'", [active.id, queuePriority.manual]);
    const run = await getRun(pool, Number(active.id));
    if (run) return { run, created: false };
  }
  throw conflict(`run ${active.id} of this period is already ${active.status}; wait for it to finish or cancel it first`, { runId: Number(active.id) });
}

export async function enqueueRun(pool: pg.Pool, actor: Actor, input: EnqueueRunInput): Promise<{ run: Run; created: boolean }> {
  const action = input.fromTask ? "run.rerun-from-task" : input.force ? "run.force" : "run.rerun";
  return audited(
    pool,
    actor,
    { action, targetType: "service", targetId: input.service, reason: input.reason },
    async () => {
      const service = await findServiceOrThrow(pool, input.service);
      const period = resolvePeriod(service, input.kind, input.period);
      const existing = await activeRunAnswer(pool, service.id, input.kind, period.start, input);
      if (existing) return existing;
      const [answer] = await enqueueRuns(pool, [
        {
          serviceId: service.id,
          kind: input.kind,
          periodStart: period.start,
          periodDate: period.date,
          periodHour: period.hour,
          trigger: "manual",
          queuePriority: queuePriority.manual,
          force: input.force,
          fromTask: input.fromTask ?? null,
          requestKey: input.requestKey ?? null,
          requestedBy: actorLabel(actor),
          reason: input.reason ?? null,
        },
      ]);
      const { run } = answer;
      if (run.serviceId !== service.id || run.kind !== input.kind || run.periodStart.getTime() !== period.start.getTime()) {
        throw conflict(`requestKey "${input.requestKey}" was already used for run ${run.id} (${run.serviceName} ${run.kind} ${run.periodDate})`, { runId: run.id });
      }
      return answer;
    },
    (r) => ({ runId: r.run.id, created: r.created, period: input.period, kind: input.kind, force: input.force, fromTask: input.fromTask ?? null }),
  );
}
