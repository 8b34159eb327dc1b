import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { CHANNEL_FAILING_SQL, LONG_RUNNING_SQL, RESOLVE_CONDITIONS as PERIOD_RESOLVE, RUN_FAILED_SQL, RUNNER_STALE_SQL,
  RUNNER_RESTARTS_SQL, SLA_MISS_SQL, STUCK_QUEUE_SQL } from "@/lib/db/alerts/rules-sql";
import { SCHEDULER_RESOLVE_CONDITIONS, SCHEDULER_UNREACHABLE_SQL, TASK_DISABLED_SQL } from "@/lib/db/alerts/scheduler-rules-sql";

const RESOLVE_CONDITIONS = { ...PERIOD_RESOLVE, ...SCHEDULER_RESOLVE_CONDITIONS };

// One evaluation tick in one transaction: open (or re-open) every firing incident, resolve the
// open ones whose condition cleared, and hand the changes to `onChanges` inside the same
// transaction (it writes the outbox), so an incident change and its messages commit together.
// Several runners tick at once: a transaction-level advisory lock lets one evaluate, the others
// skip this tick; the unique key and ON CONFLICT keep it correct even without the lock.

export type IncidentRow = {
  id: number;
  key: string;
  rule: string;
  severity: "info" | "warning" | "critical";
  service_id: number | null;
  kind: "daily" | "hourly" | null;
  period_start: Date | null;
  period_date: string | null;
  run_id: number | null;
  subject: string | null;
  summary: string;
  error: string | null;
  status: "open" | "resolved";
  opened_at: Date;
  opened_count: number;
  resolved_at: Date | null;
  resolved_by: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
};

export type IncidentChange = { event: "open" | "resolve"; incident: IncidentRow };

export type EvaluateInput = {
  now: Date;
  /** the failed-run rule looks at runs that ended after this */
  failedSince: Date;
  sla: { serviceIds: number[]; periodDates: string[]; periodStarts: Date[]; deadlines: Date[] };
  longRunningFactor: number;
  /** ... and at least this many seconds over the usual duration */
  longRunningMinOverSeconds: number;
  stuckQueueMinutes: number;
  runnerStaleSeconds: number;
  /** a live runner that has not reached the scheduler for this long opens scheduler_unreachable */
  schedulerUnreachableSeconds: number;
  /** the channels sent to (not paused): channel_failing looks at their deliveries */
  activeChannels: string[];
};

const LOCK_KEY = "switchyard.alerts.evaluate";
export const INCIDENT_COLUMNS = `id, key, rule, severity, service_id, kind, period_start, to_char(period_date, 'YYYY-MM-DD') AS period_date,
  run_id, subject, summary, error, status, opened_at, opened_count, resolved_at, resolved_by, acknowledged_at, acknowledged_by`;

// A resolved incident re-opens when its rule fires again after it cleared by itself, or for a
// new failed, slow or stuck run; one resolved by hand stays resolved for the same run (else the
// next tick would undo the operator's click), and a late period resolved by hand stays resolved.
const upsertSql = (firing: string) => `
WITH firing AS (${firing})
INSERT INTO alert_incidents AS i (key, rule, severity, service_id, kind, period_start, period_date, run_id, subject, summary, error, opened_at)
SELECT key, rule, severity, service_id, kind, period_start, period_date, run_id, subject, summary, error, $1 FROM firing
ON CONFLICT (key) DO UPDATE
   SET status = 'open', opened_at = $1, opened_count = i.opened_count + 1, resolved_at = NULL, resolved_by = NULL,
       acknowledged_at = NULL, acknowledged_by = NULL, run_id = excluded.run_id, summary = excluded.summary, error = excluded.error
 WHERE i.status = 'resolved' AND (i.resolved_by = 'alerts' OR (i.rule <> 'sla_miss' AND excluded.run_id IS DISTINCT FROM i.run_id))
RETURNING ${INCIDENT_COLUMNS}`;

const firingKeysSql = (firing: string) => `SELECT array_agg(key) AS keys FROM (${firing}) f`;

export async function evaluateIncidents(
  pool: pg.Pool,
  input: EvaluateInput,
  onChanges: (client: pg.PoolClient, changes: IncidentChange[]) => Promise<void>,
): Promise<{ evaluated: boolean; changes: IncidentChange[] }> {
  return withTransaction(pool, async (client) => {
    const lock = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [LOCK_KEY]);
    if (!lock.rows[0].ok) return { evaluated: false, changes: [] };
    const { now } = input;
    const s = input.sla;
    const rules: Array<[string, string, unknown[]]> = [
      ["run_failed", RUN_FAILED_SQL, [now, input.failedSince]],
      ["sla_miss", SLA_MISS_SQL, [now, s.serviceIds, s.periodDates, s.periodStarts, s.deadlines]],
      ["long_running", LONG_RUNNING_SQL, [now, input.longRunningFactor, input.longRunningMinOverSeconds]],
      ["stuck_queue", STUCK_QUEUE_SQL, [now, input.stuckQueueMinutes]],
      ["runner_stale", RUNNER_STALE_SQL, [now, input.runnerStaleSeconds]],
      ["runner_restarts", RUNNER_RESTARTS_SQL, [now]],
      ["scheduler_unreachable", SCHEDULER_UNREACHABLE_SQL, [now, input.schedulerUnreachableSeconds, input.runnerStaleSeconds]],
      ["task_disabled", TASK_DISABLED_SQL, [now, input.failedSince]],
      ["channel_failing", CHANNEL_FAILING_SQL, [now, input.activeChannels]],
    ];
    const changes: IncidentChange[] = [];
    for (const [rule, firing, params] of rules) {
      const opened = await client.query<IncidentRow>(upsertSql(firing), params);
      for (const incident of opened.rows) changes.push({ event: "open", incident });
      // Fleet rules resolve when no longer firing: they need the keys firing now.
      const keys = RESOLVE_CONDITIONS[rule].includes("$2")
        ? ((await client.query<{ keys: string[] | null }>(firingKeysSql(firing), params)).rows[0].keys ?? [])
        : null;
      const resolved = await client.query<IncidentRow>(
        `UPDATE alert_incidents i SET status = 'resolved', resolved_at = $1, resolved_by = 'alerts'
          WHERE i.status = 'open' AND i.rule = '${rule}' AND ${RESOLVE_CONDITIONS[rule]}
         RETURNING ${INCIDENT_COLUMNS}`,
        keys ? [now, keys] : [now],
      );
      for (const incident of resolved.rows) changes.push({ event: "resolve", incident });
    }
    await onChanges(client, changes);
    return { evaluated: true, changes };
  });
}
