import { RUN_COLUMNS, toRun, type Queryable, type Run } from "@/lib/db/runs/run-columns";
import type { ListRunsQuery } from "@/lib/schemas/runs";

// Runs for the control API: one by id, or a filtered page, newest first, paged by id
// ("before" = the last id of the previous page). Every filter is a bound parameter.

export async function getRun(db: Queryable, id: number): Promise<Run | null> {
  const result = await db.query(`SELECT ${RUN_COLUMNS} FROM runs r JOIN services s ON s.id = r.service_id WHERE r.id = $1`, [id]);
  return result.rows[0] ? toRun(result.rows[0]) : null;
}

export async function listRuns(db: Queryable, q: ListRunsQuery): Promise<Run[]> {
  const result = await db.query(
    `SELECT ${RUN_COLUMNS} FROM runs r JOIN services s ON s.id = r.service_id
      WHERE ($1::text IS NULL OR s.name = $1)
        AND ($2::run_kind IS NULL OR r.kind = $2)
        AND ($3::run_status IS NULL OR r.status = $3)
        AND ($4::date IS NULL OR r.period_date >= $4)
        AND ($5::date IS NULL OR r.period_date <= $5)
        AND ($6::bigint IS NULL OR r.id < $6)
      ORDER BY r.id DESC
      LIMIT $7`,
    [q.service ?? null, q.kind ?? null, q.status ?? null, q.from ?? null, q.to ?? null, q.before ?? null, q.limit],
  );
  return result.rows.map(toRun);
}
