import type pg from "pg";

// The open incidents of one run's period, for the run page's mark. Reads the open incidents only
// (alert_incidents_open_idx), whatever the history.

export type PeriodIncident = { id: number; rule: string; severity: string; summary: string; acknowledgedBy: string | null };

const SQL = `
SELECT id::int, rule, severity, summary, acknowledged_by AS "acknowledgedBy"
  FROM alert_incidents
 WHERE status = 'open' AND service_id = $1 AND kind = $2::run_kind AND period_start = $3::timestamptz
 ORDER BY (severity = 'critical') DESC, id`;

export async function selectPeriodIncidents(pool: pg.Pool, run: { serviceId: number; kind: string; periodStart: string }): Promise<PeriodIncident[]> {
  return (await pool.query<PeriodIncident>(SQL, [run.serviceId, run.kind, run.periodStart])).rows;
}
