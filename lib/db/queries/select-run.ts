import type pg from "pg";
import { iso } from "@/lib/db/queries/select-active-runs";
import { RUN_COLUMNS, toRun, type Run } from "@/lib/db/runs/run-columns";

// One run by id (runs_pkey) with its service's name and time zone: the runner's Run (one column
// list, one row mapping), with its times as ISO strings so a page can send it to the browser.

type Serialized<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type RunDetail = Serialized<Run> & {
  serviceDisplayName: string;
  timeZone: string;
};

const SQL = `
SELECT ${RUN_COLUMNS}, s.display_name, s.time_zone
  FROM runs r JOIN services s ON s.id = r.service_id
 WHERE r.id = $1`;

export async function selectRun(pool: pg.Pool, id: number): Promise<RunDetail | null> {
  const row = (await pool.query(SQL, [id])).rows[0];
  if (!row) return null;
  const run = toRun(row);
  return {
    ...run,
    serviceDisplayName: row.display_name,
    timeZone: row.time_zone,
    periodStart: run.periodStart.toISOString(),
    queuedAt: run.queuedAt.toISOString(),
    notBefore: run.notBefore.toISOString(),
    startedAt: iso(run.startedAt),
    lastUpdateAt: iso(run.lastUpdateAt),
    finishedAt: iso(run.finishedAt),
  };
}
