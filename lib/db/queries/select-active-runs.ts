import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";

// Home's "running / pending / failed today" table. Each branch is served by its own index:
// running → runs_running_idx, queued → runs_queue_idx (both partial, so they hold only the few
// active runs), failed → runs_grid_idx bounded to recent period dates. A failure counts while it
// is still the latest run of its period (a successful retry clears it), finished in the last 24
// hours, and its service is enabled (a disabled one's runs cannot be re-run). The root task's
// family and parameters come from Luigi's history by task id (ix_tasks_task_id, then
// task_parameters' primary key): cost follows the rows shown.

export type ActiveRun = {
  id: number;
  serviceId: number;
  serviceName: string;
  kind: "daily" | "hourly";
  periodDate: string;
  periodHour: number | null;
  status: RunStatus;
  attempt: number;
  trigger: string;
  host: string | null;
  pid: number | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  lastUpdateAt: string | null;
  rootTaskId: string | null;
  family: string | null;
  params: Record<string, string | null> | null;
};

const SQL = `
WITH picked AS (
  (SELECT r.id, 1 AS grp FROM runs r WHERE r.status = 'running' ORDER BY r.started_at NULLS LAST, r.id LIMIT $2)
  UNION ALL
  (SELECT r.id, 2 FROM runs r WHERE r.status = 'queued' ORDER BY r.queue_priority, r.not_before, r.id LIMIT $2)
  UNION ALL
  (SELECT r.id, 3 FROM runs r
    WHERE r.kind IN ('daily', 'hourly') AND r.period_date >= $1::date AND r.status IN ('failed', 'lost')
      AND r.finished_at >= $3::timestamptz - interval '24 hours'
      AND EXISTS (SELECT 1 FROM services s WHERE s.id = r.service_id AND s.enabled)
      AND NOT EXISTS (SELECT 1 FROM runs n
                       WHERE n.service_id = r.service_id AND n.kind = r.kind AND n.period_date = r.period_date
                         AND n.period_hour IS NOT DISTINCT FROM r.period_hour AND n.id > r.id)
    ORDER BY r.finished_at DESC LIMIT $2)
)
SELECT r.id, r.service_id, s.name AS service_name, r.kind, r.period_date::text AS period_date, r.period_hour,
       r.status, r.attempt, r.trigger, r.host, r.pid, r.queued_at, r.started_at, r.finished_at, r.last_update_at,
       r.root_task_id, rt.name AS family, rt.params
  FROM picked p
  JOIN runs r ON r.id = p.id
  JOIN services s ON s.id = r.service_id
  LEFT JOIN LATERAL (
        SELECT t.name,
               (SELECT json_object_agg(tp.name, tp.value ORDER BY tp.name) FROM task_parameters tp WHERE tp.task_id = t.id AND tp.history_month = t.history_month) AS params
          FROM tasks t WHERE t.task_id = r.root_task_id ORDER BY t.id DESC LIMIT 1) rt ON true
 ORDER BY p.grp, CASE WHEN p.grp = 3 THEN -extract(epoch FROM r.finished_at) ELSE 0 END, r.started_at NULLS LAST, r.id`;

type Raw = {
  id: number;
  service_id: number;
  service_name: string;
  kind: "daily" | "hourly";
  period_date: string;
  period_hour: number | null;
  status: RunStatus;
  attempt: number;
  trigger: string;
  host: string | null;
  pid: number | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  last_update_at: Date | null;
  root_task_id: string | null;
  family: string | null;
  params: Record<string, string | null> | null;
};

/** `sinceDate`: the earliest period date counted as recent; `now` in epoch ms (tests pin it). */
export async function selectActiveRuns(pool: pg.Pool, sinceDate: string, now: number, limitPerGroup = 200): Promise<ActiveRun[]> {
  const r = await pool.query<Raw>(SQL, [sinceDate, limitPerGroup, new Date(now)]);
  return r.rows.map((row) => ({
    id: row.id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    kind: row.kind,
    periodDate: row.period_date,
    periodHour: row.period_hour,
    status: row.status,
    attempt: row.attempt,
    trigger: row.trigger,
    host: row.host,
    pid: row.pid,
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    lastUpdateAt: iso(row.last_update_at),
    rootTaskId: row.root_task_id,
    family: row.family,
    params: row.params,
  }));
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
