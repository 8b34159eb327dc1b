import type pg from "pg";

// The home page's incident badge and the weekly grid's marks, in one statement over the open
// incidents only (alert_incidents_open_idx): its cost is what is open, not the grid's size or
// the history. `cells` are the daily periods of the visible window ($1..$2) with an open incident;
// `silenced` how many services have their alerts silenced now (alert_silences_one_per_service).

export type IncidentMarks = {
  open: { total: number; critical: number; warning: number; info: number; silenced: number };
  cells: Array<[serviceId: number, date: string]>;
};

const SQL = `
SELECT count(*)::int AS total,
       (count(*) FILTER (WHERE severity = 'critical'))::int AS critical,
       (count(*) FILTER (WHERE severity = 'warning'))::int AS warning,
       (count(*) FILTER (WHERE severity = 'info'))::int AS info,
       coalesce(json_agg(DISTINCT jsonb_build_array(service_id, period_date::text))
                  FILTER (WHERE kind = 'daily' AND period_date BETWEEN $1::date AND $2::date), '[]') AS cells,
       (SELECT count(*)::int FROM alert_silences WHERE ended_at IS NULL AND ends_at > $3) AS silenced
  FROM alert_incidents
 WHERE status = 'open'`;

export async function selectIncidentMarks(pool: pg.Pool, from: string, to: string, now: Date): Promise<IncidentMarks> {
  const r = await pool.query<IncidentMarks["open"] & { cells: Array<[number, string]> }>(SQL, [from, to, now]);
  const { cells, ...open } = r.rows[0];
  return { open, cells };
}
