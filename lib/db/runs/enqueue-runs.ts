import { RUN_COLUMNS, toRun, type Queryable, type Run } from "@/lib/db/runs/run-columns";
import type { RunKind, RunTrigger } from "@/lib/runner/run-states";

// Operator runs (re-run, force, from a task, backfill) queued in one INSERT … ON CONFLICT DO
// NOTHING. Two unique indexes decide who wins, so no check-then-insert can race:
// - runs_request_key_key: a request key makes an enqueue idempotent (a double click, a retried
//   HTTP call reads back the run the first one made),
// - runs_one_active_per_period: one queued-or-running run per service, kind and period
//   (migration 20261204010000). A period that already has one gets that run back.
// The read-back is a second statement on purpose: under READ COMMITTED it gets a new snapshot,
// so it sees the run a concurrent transaction committed while our INSERT waited on it. If that
// run ended in between (nothing holds the period any more), the insert is tried again.
// Rows are inserted in (service, kind, period start) order, the trigger's order too, so two
// statements racing for the same periods never wait on each other in a cycle (trigger-periods.ts).
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

/** created: this call queued it. Otherwise `existing` says why another run came back. */
export type EnqueueAnswer = { run: Run; created: true; existing: null } | { run: Run; created: false; existing: "same-request" | "active" };

export const ENQUEUE_SQL = `
INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, trigger, queue_priority, force, from_task,
                  request_key, requested_by, reason)
SELECT * FROM unnest($1::int[], $2::run_kind[], $3::timestamptz[], $4::date[], $5::smallint[], $6::run_trigger[],
                     $7::smallint[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::text[])
              AS u(service_id, kind, period_start, period_date, period_hour, trigger, queue_priority, force, from_task, request_key, requested_by, reason)
 ORDER BY u.service_id, u.kind, u.period_start
    ON CONFLICT DO NOTHING
RETURNING id, service_id, kind, period_start`;

/** For each input not inserted: the run with its request key, else the active run of its period. */
export const HOLDER_SQL = `
SELECT DISTINCT ON (i.n) i.n, coalesce(r.request_key = i.request_key, false) AS same_request, ${RUN_COLUMNS}
  FROM unnest($1::int[], $2::run_kind[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS i(service_id, kind, period_start, request_key, n)
  JOIN runs r ON r.request_key = i.request_key
              OR (r.service_id = i.service_id AND r.kind = i.kind AND r.period_start = i.period_start AND r.status IN ('queued', 'running'))
  JOIN services s ON s.id = r.service_id
 ORDER BY i.n, coalesce(r.request_key = i.request_key, false) DESC`;

const periodKey = (serviceId: number, kind: string, start: Date) => `${serviceId}|${kind}|${start.getTime()}`;
const ATTEMPTS = 3;

/** One answer per input, in input order. */
export async function enqueueRuns(db: Queryable, runs: NewRun[]): Promise<EnqueueAnswer[]> {
  const answers: Array<EnqueueAnswer | undefined> = new Array(runs.length);
  let pending = runs.map((_, i) => i);
  for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
    const batch = pending.map((i) => runs[i]);
    const col = <K extends keyof NewRun>(k: K) => batch.map((r) => r[k]);
    const inserted = await db.query(ENQUEUE_SQL, [
      col("serviceId"), col("kind"), col("periodStart"), col("periodDate"), col("periodHour"), col("trigger"),
      col("queuePriority"), col("force"), col("fromTask"), col("requestKey"), col("requestedBy"), col("reason"),
    ]);
    // One active run per period, so the period identifies the inserted row of each input.
    const insertedIds = new Map(inserted.rows.map((r) => [periodKey(r.service_id, r.kind, r.period_start), Number(r.id)]));
    const createdRuns = await runsById(db, [...insertedIds.values()]);
    const rest: number[] = [];
    for (const i of pending) {
      const key = periodKey(runs[i].serviceId, runs[i].kind, runs[i].periodStart);
      const run = createdRuns.get(insertedIds.get(key) ?? -1);
      // delete: a second input of the same period in one batch was not the one inserted
      if (run && insertedIds.delete(key)) answers[i] = { run, created: true, existing: null };
      else rest.push(i);
    }
    pending = rest;
    if (rest.length === 0) break;
    const holders = await db.query(HOLDER_SQL, [
      rest.map((i) => runs[i].serviceId),
      rest.map((i) => runs[i].kind),
      rest.map((i) => runs[i].periodStart),
      rest.map((i) => runs[i].requestKey),
    ]);
    for (const row of holders.rows) answers[rest[Number(row.n) - 1]] = { run: toRun(row), created: false, existing: row.same_request ? "same-request" : "active" };
    pending = rest.filter((i) => answers[i] === undefined);
  }
  if (pending.length > 0) throw new Error(`could not queue or find an active run for ${pending.length} period(s) after ${ATTEMPTS} attempts`);
  return answers as EnqueueAnswer[];
}

async function runsById(db: Queryable, ids: number[]): Promise<Map<number, Run>> {
  if (ids.length === 0) return new Map();
  const result = await db.query(`SELECT ${RUN_COLUMNS} FROM runs r JOIN services s ON s.id = r.service_id WHERE r.id = ANY($1::bigint[])`, [ids]);
  return new Map(result.rows.map((row) => [Number(row.id), toRun(row)]));
}
