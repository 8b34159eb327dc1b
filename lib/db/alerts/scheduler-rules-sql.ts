// The two alert rules about the scheduler, in the same shape as rules-sql.ts (same columns, $1 =
// now). Kept apart so each file stays about one source of facts.

/**
 * A live runner (heartbeat younger than $3 s: a dead one is runner_stale's business) whose last
 * call to the scheduler failed and whose last success is older than $2 s (or, never reached, it
 * started longer ago than that). One fleet incident: the runner that has waited longest speaks.
 * Reads live runners only (runners_heartbeat_at_idx).
 */
export const SCHEDULER_UNREACHABLE_SQL = `
SELECT 'scheduler_unreachable' AS key, 'scheduler_unreachable' AS rule, 'critical' AS severity,
       NULL::int AS service_id, NULL::run_kind AS kind, NULL::timestamptz AS period_start, NULL::date AS period_date,
       NULL::bigint AS run_id, 'scheduler' AS subject,
       'runner ' || x.id || ' has not reached the scheduler for ' || round(extract(epoch FROM ($1 - coalesce(c.ok_at, x.started_at))))
         || ' s' || coalesce(' (and ' || (SELECT nullif(count(*) - 1, 0) FROM runners y JOIN runner_scheduler_contact yc ON yc.runner_id = y.id
                                      WHERE y.stopped_at IS NULL AND y.heartbeat_at > $1 - make_interval(secs => $3::int)
                                        AND yc.error_at > coalesce(yc.ok_at, '-infinity'))::text || ' other runners)', '') AS summary,
       c.error
  FROM runners x
  JOIN runner_scheduler_contact c ON c.runner_id = x.id
 WHERE x.stopped_at IS NULL AND x.heartbeat_at > $1 - make_interval(secs => $3::int)
   AND c.error_at > coalesce(c.ok_at, '-infinity')
   AND coalesce(c.ok_at, x.started_at) < $1 - make_interval(secs => $2::int)
 ORDER BY coalesce(c.ok_at, x.started_at), x.id
 LIMIT 1`;

/**
 * A period whose run's root task, or a task in that root task's closure, is DISABLED in the
 * scheduler (too many failures), while the period's latest run is not done. The walk starts at
 * the disabled tasks (scheduler_tasks_disabled_idx, a partial index of them) and goes up the dependency edges
 * (task_dependencies_dep_task_id_idx) to runs (runs_root_task_id_idx) that ended after $2 or have
 * not ended: the cost is the disabled tasks and their dependents, not the history.
 */
export const TASK_DISABLED_SQL = `
WITH RECURSIVE up(task_id, disabled_id) AS (
  SELECT task_id, task_id FROM scheduler_tasks WHERE status = 'DISABLED'
  UNION
  SELECT d.task_id, up.disabled_id FROM task_dependencies d JOIN up ON d.dep_task_id = up.task_id
)
SELECT DISTINCT ON (r.service_id, r.kind, r.period_start)
       'task_disabled:' || r.service_id || ':' || r.kind || ':' || extract(epoch FROM r.period_start)::bigint AS key,
       'task_disabled' AS rule, 'critical' AS severity,
       r.service_id, r.kind, r.period_start, r.period_date, l.id AS run_id, up.disabled_id AS subject,
       'task ' || up.disabled_id || ' is disabled by the scheduler (too many failures): ' || s.name || ' ' || r.kind || ' '
         || to_char(r.period_date, 'YYYY-MM-DD') || coalesce(' ' || lpad(r.period_hour::text, 2, '0') || ':00', '')
         || ' cannot complete until it is re-enabled' AS summary,
       l.error
  FROM up
  JOIN runs r ON r.root_task_id = up.task_id
  JOIN services s ON s.id = r.service_id
 CROSS JOIN LATERAL (SELECT l.id, l.status, l.error FROM runs l
                      WHERE l.service_id = r.service_id AND l.kind = r.kind AND l.period_date = r.period_date
                        AND l.period_start = r.period_start ORDER BY l.id DESC LIMIT 1) l
 WHERE coalesce(r.finished_at, $1) > $2::timestamptz AND l.status <> 'done'
 ORDER BY r.service_id, r.kind, r.period_start, r.id DESC, up.disabled_id`;

/** Both resolve when no longer firing: the task re-enabled, the period done, the scheduler reached. */
export const SCHEDULER_RESOLVE_CONDITIONS: Record<string, string> = {
  scheduler_unreachable: `i.key <> ALL($2::text[])`,
  task_disabled: `i.key <> ALL($2::text[])`,
};
