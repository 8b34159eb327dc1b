// Luigi's history for every started run, written the way the scheduler would: one tasks row per
// task per attempt, its parameters, and PENDING → RUNNING → DONE/FAILED events in time order
// (events are inserted sorted by ts, like an append-only log, so ix_task_events_ts is as
// correlated with the heap as in production). Ids are computed (run number × 32 + task index)
// so parameters and events need no join back to tasks.
//
// Daily: task 0 is the root AllDailyTask(service_id, day); 1–14 Extract(shard), 15–28
// Transform(shard), 29 Load, 30 Report. A failed run fails at task 20 (a Transform): tasks before
// it are done, later ones only pending. Hourly: AllHourlyTask(service_id, day, hour) and Ingest.

export const genTableSql = `
DROP TABLE IF EXISTS bench_gen;
CREATE UNLOGGED TABLE bench_gen AS
SELECT row_number() OVER (ORDER BY r.started_at, r.id) AS n, r.id AS run_id, r.kind, r.service_id, r.period_date, r.period_hour,
       r.status::text AS status, r.started_at, r.host,
       coalesce(r.finished_at, r.started_at + interval '40 minutes') - r.started_at AS dur,
       CASE WHEN r.kind = 'daily' THEN 31 ELSE 2 END AS ntasks,
       CASE WHEN r.kind = 'daily' THEN 20 ELSE 1 END AS fail_at
  FROM runs r WHERE r.started_at IS NOT NULL;
ANALYZE bench_gen`;

const FAMILY = `CASE WHEN g.kind = 'hourly' THEN CASE WHEN j = 0 THEN 'AllHourlyTask' ELSE 'Ingest' END
                    WHEN j = 0 THEN 'AllDailyTask' WHEN j <= 14 THEN 'Extract' WHEN j <= 28 THEN 'Transform' WHEN j = 29 THEN 'Load' ELSE 'Report' END`;
const SHARD = `CASE WHEN g.kind = 'daily' AND j BETWEEN 1 AND 28 THEN (j - 1) % 14 END`;

// The history is partitioned by month: a task row and its parameters belong to the month of the
// task's first event (its PENDING, a second after the run started; events are written in UTC).
const MONTH = "date_trunc('month', (g.started_at + interval '1 second') AT TIME ZONE 'UTC')::date";

export const tasksSql = `
INSERT INTO tasks (id, task_id, name, host, history_month)
SELECT g.n * 32 + j,
       CASE WHEN j = 0 AND g.kind = 'daily' THEN format('AllDailyTask_%s_%s_%s', replace(g.period_date::text, '-', '_'), g.service_id, left(md5(g.service_id::text || g.period_date::text), 10))
            WHEN j = 0 THEN format('AllHourlyTask_%s_%s_%s_%s', replace(g.period_date::text, '-', '_'), g.period_hour, g.service_id, left(md5(g.service_id::text || g.period_date::text || g.period_hour), 10))
            ELSE format('%s_%s_%s_%s', f.family, replace(g.period_date::text, '-', '_'), coalesce(f.shard::text, coalesce(g.period_hour::text, '')), left(md5(g.service_id || f.family || g.period_date::text || coalesce(f.shard, g.period_hour, -1)), 10))
       END,
       f.family, g.host, ${MONTH}
  FROM bench_gen g CROSS JOIN LATERAL generate_series(0, g.ntasks - 1) j
  CROSS JOIN LATERAL (SELECT ${FAMILY} AS family, ${SHARD} AS shard) f
 ORDER BY g.n, j;
SELECT setval('tasks_id_seq', (SELECT max(id) FROM tasks))`;

export const parametersSql = `
INSERT INTO task_parameters (task_id, name, value, history_month)
SELECT g.n * 32 + j, p.name, p.value, ${MONTH}
  FROM bench_gen g CROSS JOIN LATERAL generate_series(0, g.ntasks - 1) j
  CROSS JOIN LATERAL (VALUES ('service_id', g.service_id::text, true),
                             ('day', g.period_date::text, true),
                             ('hour', g.period_hour::text, g.kind = 'hourly'),
                             ('shard', ((j - 1) % 14)::text, g.kind = 'daily' AND j BETWEEN 1 AND 28)) p(name, value, keep)
 WHERE p.keep`;

// Child j runs in slice j of the run's duration; the root runs last. Events after now() are not
// written yet (running runs are half-way through).
export const eventsSql = `
INSERT INTO task_events (task_id, event_name, ts)
SELECT x.task_id, x.name, x.at AT TIME ZONE 'UTC'
  FROM (
    SELECT g.n * 32 + j AS task_id, e.name, e.at
      FROM bench_gen g CROSS JOIN LATERAL generate_series(0, g.ntasks - 1) j
      CROSS JOIN LATERAL (
        SELECT g.status IN ('done', 'running') AS ok,
               g.started_at + interval '3 seconds' + g.dur * 0.95 * ((j - 1)::float8 / (g.ntasks - 1)) AS run_at,
               g.started_at + interval '3 seconds' + g.dur * 0.95 * (j::float8 / (g.ntasks - 1)) AS end_at) t
      CROSS JOIN LATERAL (VALUES
        ('PENDING', g.started_at + interval '1 second' + j * interval '5 milliseconds', true),
        ('RUNNING', CASE WHEN j = 0 THEN g.started_at + g.dur - interval '2 seconds' ELSE t.run_at END,
                    CASE WHEN j = 0 THEN t.ok ELSE t.ok OR j <= g.fail_at END),
        (CASE WHEN j = g.fail_at AND g.status IN ('failed', 'lost') THEN 'FAILED' ELSE 'DONE' END,
                    CASE WHEN j = 0 THEN g.started_at + g.dur - interval '1 second' ELSE t.end_at END,
                    CASE WHEN j = 0 THEN t.ok ELSE t.ok OR j < g.fail_at OR (j = g.fail_at AND g.status IN ('failed', 'lost')) END)
      ) e(name, at, keep)
     WHERE e.keep AND e.at <= now()
  ) x
 ORDER BY x.at`;

/** Four worker hosts sampled every 10 s for the last day, two runners heartbeating. */
export const hostsSql = `
INSERT INTO hosts (name, cpu_count, memory_total_bytes) SELECT 'worker-' || h, 8, 34359738368 FROM generate_series(1, 4) h;
INSERT INTO host_samples (host_id, at, cpu_percent, memory_used_bytes, memory_total_bytes, load1, load5, load15, running_runs)
SELECT h.id, s.at,
       least(100, 20 + 60 * greatest(0, sin(extract(epoch FROM s.at) / 3600.0 + h.id)) + (abs(hashtext(h.id || s.at::text)) % 100) / 10.0),
       (34359738368 * (0.3 + 0.4 * greatest(0, sin(extract(epoch FROM s.at) / 5400.0 + h.id))))::bigint, 34359738368, 2.5, 2.1, 1.8,
       (abs(hashtext(s.at::text || h.id)) % 12)
  FROM hosts h CROSS JOIN generate_series(now() - interval '1 day', now(), interval '10 seconds') s(at);
INSERT INTO runners (id, host_id, pid, version, heartbeat_at) SELECT 'runner-' || id, id, 4000 + id, 'bench', now() FROM hosts WHERE id <= 2`;

export const auditSql = `
INSERT INTO audit_log (at, actor, action, target_type, target_id, reason, outcome, result)
SELECT now() - make_interval(mins => g * 13),
       (ARRAY['ana@example.com', 'bob@example.com', 'oncall@example.com', 'token:ci'])[1 + g % 4],
       (ARRAY['run.rerun', 'run.force', 'run.cancel', 'service.pause', 'service.resume', 'backfill.create', 'task.forgive'])[1 + g % 7],
       CASE WHEN g % 7 IN (3, 4) THEN 'service' ELSE 'run' END, (1 + g % 1000)::text,
       (ARRAY['upstream fixed', 'warehouse outage', 'customer request', 'flaky network', null])[1 + g % 5],
       CASE WHEN g % 50 = 0 THEN 'denied' WHEN g % 97 = 0 THEN 'error' ELSE 'ok' END,
       jsonb_build_object('runs', 1 + g % 3)
  FROM generate_series(1, 5000) g`;
