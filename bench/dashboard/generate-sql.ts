// SQL that writes a realistic history for the dashboard benchmark, all INSERT … SELECT over
// generate_series so PostgreSQL does the work (no rows cross the wire). Randomness is a hash of
// the cell's key, so the same arguments give the same history (relative to now()).
//
// Shape, per the issue: services with a daily run each (time zones from Auckland to Los Angeles,
// due between 00:00 and 05:59 local), some with hourly runs; ~2.5 % of daily periods fail (half
// retried), a few are lost, cancelled or missing; today's are done, running, queued or not due.
// Luigi's history: each started daily run has 31 tasks (root, 14 Extract and 14 Transform
// shards, Load, Report), each hourly run 2 (root, Ingest); 3 events per finished task.

export const TIME_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
];

const WORDS_A = ["acme", "globex", "initech", "umbrella", "stark", "wayne", "hooli", "vandelay", "soylent", "tyrell", "cyberdyne", "wonka", "oceanic", "gringotts", "duff", "monarch"];
const WORDS_B = ["corp", "labs", "retail", "bank", "health", "media", "logistics", "energy", "games", "foods", "travel", "cloud"];
const TEAMS = ["billing", "search", "growth", "data-platform", "payments", "risk", "ads", "catalog"];
const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]`;

export function servicesSql(count: number, hourly: number): string {
  return `
INSERT INTO services (name, display_name, time_zone, daily_time, hourly_enabled, hourly_minute, daily_command, hourly_command,
                      labels, expected_done_by, retry_attempts, enabled, paused, created_at, environment)
SELECT format('%s-%s-%s', a, b, lpad(g::text, 4, '0')),
       initcap(a) || ' ' || initcap(b) || ' ' || g,
       (${arr(TIME_ZONES)})[1 + g % ${TIME_ZONES.length}],
       lpad(((g * 7) % 6)::text, 2, '0') || ':' || lpad(((g * 13) % 60)::text, 2, '0'),
       g <= ${hourly}, (g * 11) % 60,
       format('luigi --module pipelines.daily AllDailyTask --service-id %s --day {day}', g),
       CASE WHEN g <= ${hourly} THEN format('luigi --module pipelines.hourly AllHourlyTask --service-id %s --hour {hour}', g) END,
       jsonb_build_object('team', (${arr(TEAMS)})[1 + g % ${TEAMS.length}], 'tier', (1 + g % 3)::text, 'region', CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END),
       CASE WHEN g % 2 = 0 THEN lpad((3 + (g * 7) % 6)::text, 2, '0') || ':30' END,
       g % 3, g % 50 <> 7, g % 100 = 42, now() - interval '400 days',
       jsonb_build_object('WAREHOUSE_DSN', 'postgres://…', 'BATCH_SIZE', '5000')
  FROM generate_series(1, ${count}) g,
       LATERAL (SELECT (${arr(WORDS_A)})[1 + g % ${WORDS_A.length}] AS a, (${arr(WORDS_B)})[1 + (g / ${WORDS_A.length}) % ${WORDS_B.length}] AS b) w`;
}

const TRACEBACK = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/luigi/worker.py", line 210, in run
    new_deps = self._run_get_new_deps()
  File "pipelines/daily/transform.py", line 88, in run
    rows = self.clean(batch)
  File "pipelines/daily/transform.py", line 131, in clean
    raise ValueError(f"unexpected null in column amount (row {i})")
ValueError: unexpected null in column amount (row 4711)`;

/** Daily runs for the last `days` days: one per period (plus retries), statuses by hash. */
export function dailyRunsSql(days: number): string {
  return `
WITH cells AS (
  SELECT s.id AS service_id, s.enabled, s.paused, d::date AS day,
         ((d::date + s.daily_time::time)::timestamp AT TIME ZONE s.time_zone) AS due_at,
         (d::date::timestamp AT TIME ZONE s.time_zone) AS period_start,
         300 + (s.id * 37) % 3300 AS base_secs,
         abs(hashtext(s.id::text || ':' || d::date::text)) % 1000 AS r
    FROM services s CROSS JOIN generate_series(current_date - ${days - 1}, current_date + 1, interval '1 day') d
),
planned AS (
  SELECT c.*, c.due_at + make_interval(secs => c.r % 90) AS started_at,
         c.base_secs * (0.7 + (c.r % 600) / 1000.0) AS secs,
         CASE WHEN c.r < 10 THEN 'missing' WHEN c.r < 35 THEN 'failed' WHEN c.r < 37 THEN 'lost' WHEN c.r < 40 THEN 'cancelled' ELSE 'done' END AS outcome
    FROM cells c
   WHERE c.due_at <= now() AND (c.enabled OR c.day < current_date - 10) AND (NOT c.paused OR c.day < current_date - 3)
),
attempts AS (
  SELECT p.*, 1 AS attempt, p.started_at AS s_at, CASE WHEN p.outcome = 'done' THEN p.secs ELSE p.secs * 0.4 END AS dur, p.outcome AS st
    FROM planned p WHERE p.outcome <> 'missing'
  UNION ALL
  SELECT p.*, 2, p.started_at + make_interval(secs => p.secs * 0.4 + 600), p.secs, 'done'
    FROM planned p WHERE p.outcome = 'failed' AND p.r < 22
     -- the retry only once the first attempt has ended: one active run per period (runs_one_active_per_period)
     AND p.started_at + make_interval(secs => p.secs * 0.4) <= now()
)
INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, queue_priority, queued_at, not_before,
                  started_at, last_update_at, finished_at, exit_code, host, runner_id, pid, root_task_id, error, requested_by, reason)
SELECT a.service_id, 'daily', a.period_start, a.day, a.attempt, CASE WHEN a.attempt = 1 THEN 'scheduled' ELSE 'retry' END::run_trigger,
       (CASE WHEN a.s_at + make_interval(secs => a.dur) > now() THEN 'running' ELSE a.st END)::run_status,
       CASE WHEN a.attempt = 1 THEN 2 ELSE 1 END, a.s_at - interval '1 second', a.s_at - interval '1 second',
       a.s_at, least(now(), a.s_at + make_interval(secs => a.dur)),
       CASE WHEN a.s_at + make_interval(secs => a.dur) <= now() THEN a.s_at + make_interval(secs => a.dur) END,
       CASE WHEN a.s_at + make_interval(secs => a.dur) > now() THEN NULL WHEN a.st = 'done' THEN 0 WHEN a.st = 'cancelled' THEN 143 ELSE 1 END,
       'worker-' || (1 + a.service_id % 4), 'runner-' || (1 + a.service_id % 2), 1000 + a.r * 7,
       format('AllDailyTask_%s_%s_%s', replace(a.day::text, '-', '_'), a.service_id, left(md5(a.service_id::text || a.day::text), 10)),
       CASE WHEN a.st IN ('failed', 'lost') AND a.s_at + make_interval(secs => a.dur) <= now()
            THEN CASE WHEN a.st = 'lost' THEN 'runner heartbeat stopped: run lost' ELSE $$${TRACEBACK}$$ END END,
       CASE WHEN a.attempt = 2 THEN 'switchyard' END, CASE WHEN a.attempt = 2 THEN 'automatic retry' END
  FROM attempts a
 ORDER BY a.s_at`;
}

/** Hourly runs for services with hourly runs enabled: one per due hour, ~1 % failed, 0.5 % missing. */
export function hourlyRunsSql(days: number): string {
  return `
WITH cells AS (
  SELECT s.id AS service_id, d::date AS day, h AS hour,
         ((d::date + make_interval(hours => h, mins => s.hourly_minute))::timestamp AT TIME ZONE s.time_zone) AS due_at,
         ((d::date + make_interval(hours => h))::timestamp AT TIME ZONE s.time_zone) AS period_start,
         abs(hashtext(s.id::text || ':' || d::date::text || ':' || h)) % 1000 AS r
    FROM services s CROSS JOIN generate_series(current_date - ${days - 1}, current_date + 1, interval '1 day') d CROSS JOIN generate_series(0, 23) h
   WHERE s.hourly_enabled
     -- a local hour skipped by a daylight-saving change (02:00 on a spring-forward day) has no period
     AND (((d::date + make_interval(hours => h))::timestamp AT TIME ZONE s.time_zone) AT TIME ZONE s.time_zone) = d::date + make_interval(hours => h)
)
INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, attempt, trigger, status, queued_at, not_before,
                  started_at, last_update_at, finished_at, exit_code, host, runner_id, pid, root_task_id)
SELECT c.service_id, 'hourly', c.period_start, c.day, c.hour, 1, 'scheduled',
       (CASE WHEN c.due_at + make_interval(secs => 60 + c.r % 240) > now() THEN 'running' WHEN c.r < 10 THEN 'failed' ELSE 'done' END)::run_status,
       c.due_at, c.due_at, c.due_at + interval '2 seconds', least(now(), c.due_at + make_interval(secs => 60 + c.r % 240)),
       CASE WHEN c.due_at + make_interval(secs => 60 + c.r % 240) <= now() THEN c.due_at + make_interval(secs => 60 + c.r % 240) END,
       CASE WHEN c.due_at + make_interval(secs => 60 + c.r % 240) > now() THEN NULL WHEN c.r < 10 THEN 1 ELSE 0 END,
       'worker-' || (1 + c.service_id % 4), 'runner-' || (1 + c.service_id % 2), 2000 + c.r,
       format('AllHourlyTask_%s_%s_%s_%s', replace(c.day::text, '-', '_'), c.hour, c.service_id, left(md5(c.service_id::text || c.day::text || c.hour), 10))
  FROM cells c
 WHERE c.due_at <= now() AND c.r >= 5
 ORDER BY c.due_at`;
}

/** A few operator requests waiting in the queue (backfills of old failures). */
export const queuedRunsSql = `
INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, queue_priority, queued_at, not_before, requested_by, reason, request_key)
SELECT r.service_id, 'daily', r.period_start, r.period_date, r.attempt + 1, 'backfill', 'queued', 3,
       now() - make_interval(mins => row_number() OVER ()::int), now(), 'ana@example.com', 'backfill after the warehouse outage', 'bench-' || r.id
  FROM runs r WHERE r.kind = 'daily' AND r.status = 'failed' AND r.period_date < current_date - 30
 ORDER BY r.id LIMIT 20`;
