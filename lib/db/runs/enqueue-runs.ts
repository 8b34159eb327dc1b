import { RUN_COLUMNS, toRun, type Queryable, type Run } from "@/lib/db/runs/run-columns";
import type { RunKind, RunTrigger } from "@/lib/runner/run-states";

// Operator runs (re-run, force, from a task, backfill) queued in one statement. A request key
// makes an enqueue idempotent: the unique index on request_key lets only the first insert win,
// and a repeat (a double click, a retried HTTP call) reads back the run the first one made.
// Inserted rows fire the runs_notify_queued trigger, so a runner claims them within milliseconds.

export type NewRun = {
  serviceId: number;
  kind: RunKind;
  periodStart: Date;
  periodDate: string;
  periodHour: number | null;
  trigger: Extract<RunTrigger, "manual" | "backfill">;
  queuePriority: number;
  force: boolean;
  fromTask: string | null;
  requestKey: string | null;
  requestedBy: string;
  reason: string | null;
};

export const ENQUEUE_SQL = `
WITH inserted AS (
  INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, trigger, queue_priority, force, from_task,
                    request_key, requested_by, reason)
  SELECT * FROM unnest($1::int[], $2::run_kind[], $3::timestamptz[], $4::date[], $5::smallint[], $6::run_trigger[],
                       $7::smallint[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::text[])
      ON CONFLICT (request_key) DO NOTHING
  RETURNING *
), wanted AS (
  SELECT * FROM inserted
  UNION ALL
  SELECT r.* FROM runs r WHERE r.request_key = ANY($10::text[]) AND r.request_key NOT IN (SELECT request_key FROM inserted WHERE request_key IS NOT NULL)
)
SELECT ${RUN_COLUMNS}, r.id IN (SELECT id FROM inserted) AS created
  FROM wanted r JOIN services s ON s.id = r.service_id
 ORDER BY r.period_start, r.id`;

export async function enqueueRuns(db: Queryable, runs: NewRun[]): Promise<Array<{ run: Run; created: boolean }>> {
  if (runs.length === 0) return [];
  const col = <K extends keyof NewRun>(k: K) => runs.map((r) => r[k]);
  const result = await db.query(ENQUEUE_SQL, [
    col("serviceId"),
    col("kind"),
    col("periodStart"),
    col("periodDate"),
    col("periodHour"),
    col("trigger"),
    col("queuePriority"),
    col("force"),
    col("fromTask"),
    col("requestKey"),
    col("requestedBy"),
    col("reason"),
  ]);
  return result.rows.map((row) => ({ run: toRun(row), created: row.created as boolean }));
}
