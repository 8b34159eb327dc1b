import type { Queryable } from "@/lib/db/runs/run-columns";
import { queuePriority, type RunKind } from "@/lib/runner/run-states";

// The trigger: queue the scheduled run of each due period. Several runners compute the same
// due periods and all insert them; the partial unique index runs_one_scheduled_per_period
// (service_id, kind, period_start) WHERE trigger = 'scheduled' lets exactly one insert win and
// the others do nothing — so exactly one scheduled run per service and period, with any number
// of runners, and after downtime when the catch-up pass re-inserts periods already queued.
// ON CONFLICT has no target so that runs_one_active_per_period is an arbiter too: a period that
// an operator's run (re-run, backfill) holds when it falls due gets no second, concurrent run.
// (A later catch-up pass, after a runner restart, may queue the scheduled run once that one ended.)
// One statement for the whole batch. The join re-checks "enabled" at insert time.
// Rows are inserted in (service, kind, period start) order, as enqueue-runs.ts inserts them: two
// statements that insert the same periods in different orders can each wait on a row the other
// has inserted, which PostgreSQL ends as a deadlock. Without the ORDER BY the hash join with
// services gave one service's periods newest first, and a backfill racing the trigger failed
// with "deadlock detected" (seen once in CI, lib/db/runs/one-active-run.test.ts).

export type DuePeriod = { serviceId: number; kind: RunKind; periodStart: Date; periodDate: string; periodHour: number | null };

export const TRIGGER_SQL = `
INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, trigger, queue_priority, requested_by)
SELECT p.service_id, p.kind, p.period_start, p.period_date, p.period_hour, 'scheduled', ${queuePriority.scheduled}, 'trigger'
  FROM unnest($1::int[], $2::run_kind[], $3::timestamptz[], $4::date[], $5::smallint[])
       AS p(service_id, kind, period_start, period_date, period_hour)
  JOIN services s ON s.id = p.service_id AND s.enabled
  LEFT JOIN service_fleet_options f ON f.service_id = s.id
 WHERE coalesce(f.launch, true)
   -- a period already run elsewhere (running or done) is not launched again (external-runs.ts)
   AND NOT EXISTS (SELECT 1 FROM runs x WHERE x.service_id = p.service_id AND x.kind = p.kind AND x.period_start = p.period_start
                      AND x.trigger = 'external' AND x.status IN ('running', 'done'))
 ORDER BY p.service_id, p.kind, p.period_start
    ON CONFLICT DO NOTHING
RETURNING id`;

/** Returns how many runs were queued (periods another runner queued first count as 0). */
export async function triggerPeriods(db: Queryable, periods: DuePeriod[]): Promise<number> {
  if (periods.length === 0) return 0;
  const result = await db.query(TRIGGER_SQL, [
    periods.map((p) => p.serviceId),
    periods.map((p) => p.kind),
    periods.map((p) => p.periodStart),
    periods.map((p) => p.periodDate),
    periods.map((p) => p.periodHour),
  ]);
  return result.rowCount ?? 0;
}
