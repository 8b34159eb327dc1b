import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";

// Weekly grid (and the days list): the latest daily run of every service × period date in a
// range. Served by runs_grid_idx (kind, period_date, service_id, id DESC): one range scan bounded
// by the dates, so the cost grows with services × days shown, never with history kept.
// See docs/QUERY-PLANS.md and bench/dashboard.

export type GridRun = { serviceId: number; date: string; status: RunStatus; runId: number };

const SQL = `
SELECT DISTINCT ON (r.period_date, r.service_id)
       r.service_id, r.period_date::text AS period_date, r.status, r.id
  FROM runs r
 WHERE r.kind = 'daily' AND r.period_date BETWEEN $1::date AND $2::date
 ORDER BY r.period_date, r.service_id, r.id DESC`;

export async function selectDailyGrid(pool: pg.Pool, from: string, to: string): Promise<GridRun[]> {
  // Array rows: 7,000+ rows per call, and named-field objects cost more to build than we use.
  const r = await pool.query<[number, string, RunStatus, number]>({ text: SQL, values: [from, to], rowMode: "array" });
  return r.rows.map(([serviceId, date, status, runId]) => ({ serviceId, date, status, runId }));
}
