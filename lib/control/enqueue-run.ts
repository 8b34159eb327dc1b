import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict, invalid } from "@/lib/control/errors";
import { findRunnableServiceOrThrow } from "@/lib/control/find-service";
import { checkFromTask } from "@/lib/db/queries/select-from-task";
import { enqueueRuns, type EnqueueAnswer } from "@/lib/db/runs/enqueue-runs";
import type { Run } from "@/lib/db/runs/run-columns";
import type { Queryable } from "@/lib/db/runs/run-columns";
import type { ServiceRecord } from "@/lib/db/services/service-record";
import { queuePriority } from "@/lib/runner/run-states";
import { dailyPeriod, hourlyPeriod, type Period } from "@/lib/runner/schedule/periods";
import type { EnqueueRunInput } from "@/lib/schemas/runs";

// POST /api/v1/runs: re-run a period, optionally forced, or from a failed task. A manual run
// goes before scheduled ones in the queue. The same requestKey returns the same run (created
// false), so a double click launches once; without a key, PostgreSQL's one-active-run-per-period
// index (lib/db/runs/enqueue-runs.ts) makes twenty simultaneous clicks queue one run.

export function resolvePeriod(service: ServiceRecord, kind: "daily" | "hourly", text: string, now = new Date()): Period {
  const schedule = { timeZone: service.timeZone, dailyTime: service.dailyTime, hourlyMinute: service.hourlyMinute };
  const period = kind === "daily" ? dailyPeriod(schedule, text) : hourlyPeriod(schedule, text.slice(0, 10), Number(text.slice(11, 13)));
  if (!period) throw invalid(`${text} is not ${kind === "daily" ? "a daily" : "an hourly"} period of ${service.name} (in ${service.timeZone} that ${kind === "daily" ? "day" : "hour"} does not exist)`, [{ path: "period", message: "no such period" }]);
  if (period.start > now) throw invalid(`${text} has not started yet in ${service.timeZone}`, [{ path: "period", message: "in the future" }]);
  if (kind === "hourly" && !service.hourlyCommand) throw invalid(`${service.name} has no hourly command`, [{ path: "kind", message: "the service has no hourly command" }]);
  return period;
}

/**
 * Two runs of one period at once would race for the same outputs. While one is running, a new
 * request is refused and names it. While one is only queued, a plain re-run moves it to the front
 * (manual priority) instead of queueing a second — and a retry waiting out its backoff
 * (not_before) may start now: the operator asked for the period to run now, and a claim within the
 * runner's next poll (1 s) takes it. A forced or from-task request is refused, since the queued run
 * would not do what it asks.
 */
async function answerActive(db: Queryable, active: Run, input: EnqueueRunInput): Promise<{ run: Run; created: false }> {
  const plain = !input.force && !input.fromTask;
  if (active.status === "queued" && plain) {
    const moved = await db.query<{ queue_priority: number; not_before: Date }>(
      "UPDATE runs SET queue_priority = LEAST(queue_priority, $2), not_before = LEAST(not_before, now()) WHERE id = $1 AND status = 'queued' RETURNING queue_priority, not_before",
      [active.id, queuePriority.manual],
    );
    if (moved.rows[0]) return { run: { ...active, queuePriority: moved.rows[0].queue_priority, notBefore: moved.rows[0].not_before }, created: false };
  }
  throw conflict(`run ${active.id} of this period is already ${active.status}; wait for it to finish or cancel it first`, { runId: active.id, status: active.status });
}

/**
 * A from-task re-run of a task the period's run does not have would be launched, fail at once and
 * page whoever gets run_failed: refused here instead, with the families there are. A period no run
 * has told us the root task of is not checked (nothing to check against).
 */
async function refuseUnknownFromTask(db: Queryable, service: ServiceRecord, input: EnqueueRunInput, period: Period, fromTask: string): Promise<void> {
  const check = await checkFromTask(db, { serviceId: service.id, kind: input.kind, periodStart: period.start }, fromTask);
  if (check.kind !== "missing") return;
  const families = check.families.length > 20 ? `${check.families.slice(0, 20).join(", ")} and ${check.families.length - 20} more` : check.families.join(", ");
  throw invalid(`"${fromTask}" is neither the id nor the family of a task of ${service.name} ${input.period}'s run (root task ${check.rootTaskId}${families ? `; its families: ${families}` : ""})`, [
    { path: "fromTask", message: "no such task in the period's run" },
  ]);
}

export async function enqueueRun(pool: pg.Pool, actor: Actor, input: EnqueueRunInput): Promise<{ run: Run; created: boolean }> {
  const intent = input.fromTask ? "run.rerun-from-task" : input.force ? "run.force" : "run.rerun";
  return audited(
    pool,
    actor,
    { intent, targetId: input.service, reason: input.reason },
    async (db) => {
      const service = await findRunnableServiceOrThrow(db, input.service);
      const period = resolvePeriod(service, input.kind, input.period);
      if (input.fromTask) await refuseUnknownFromTask(db, service, input, period, input.fromTask);
      const [answer]: EnqueueAnswer[] = await enqueueRuns(db, [
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
      if (answer.existing === "active") return answerActive(db, run, input);
      if (run.serviceId !== service.id || run.kind !== input.kind || run.periodStart.getTime() !== period.start.getTime()) {
        throw conflict(`requestKey "${input.requestKey}" was already used for run ${run.id} (${run.serviceName} ${run.kind} ${run.periodDate})`, { runId: run.id });
      }
      return { run, created: answer.created };
    },
    (r) => ({ runId: r.run.id, created: r.created, period: input.period, kind: input.kind, force: input.force, fromTask: input.fromTask ?? null }),
  );
}
