import { liveRunnerSql, REPLACED_RUNNER_SQL } from "@/lib/db/hosts/runners";
import { channelDeliverySql } from "@/lib/db/alerts/failing-channels";

// What each alert rule sees as "firing" right now, as one SELECT with the same columns:
//   key, rule, severity, service_id, kind, period_start, period_date, run_id, subject, summary, error
// $1 is always "now" (an injected clock in tests). Every statement reads only open runs, runs of
// recent periods, or the open incidents — never the whole history (bench: cost does not grow with
// history rows). The key makes one incident per (rule, service, period).

const periodKey = (rule: string, alias: string) =>
  `'${rule}:' || ${alias}.service_id || ':' || ${alias}.kind || ':' || extract(epoch FROM ${alias}.period_start)::bigint`;

/**
 * A run that failed or was lost with no retry left, finished after $2, and still the latest run
 * of its period. Read through runs_failed_finished_idx (partial: failed and lost runs only), so
 * the cost is the recent failures, whatever the history or the period (a catch-up run of last
 * week's period counts).
 */
export const RUN_FAILED_SQL = `
SELECT ${periodKey("run_failed", "r")} AS key, 'run_failed' AS rule, 'critical' AS severity,
       r.service_id, r.kind, r.period_start, r.period_date, r.id AS run_id, NULL::text AS subject,
       'run ' || r.id || ' of ' || s.name || ' ' || r.kind || ' ' || to_char(r.period_date, 'YYYY-MM-DD')
         || coalesce(' ' || lpad(r.period_hour::text, 2, '0') || ':00', '') || ' ' || r.status::text
         || ' (attempt ' || r.attempt || ', no retry left)' AS summary,
       r.error
  FROM runs r
  JOIN services s ON s.id = r.service_id
 WHERE r.status IN ('failed', 'lost') AND r.finished_at > $2::timestamptz
   AND (r.attempt > s.retry_attempts OR NOT s.enabled)
   AND NOT EXISTS (SELECT 1 FROM runs l WHERE l.service_id = r.service_id AND l.kind = r.kind AND l.period_date = r.period_date
                      AND l.period_start = r.period_start AND l.id > r.id)`;

/**
 * Daily periods whose expected-done-by time has passed without a done run. The deadlines come
 * from lib/presenters/period-status (the one place for that time-zone maths), as arrays:
 * $2 service ids, $3 period dates, $4 period starts, $5 deadlines.
 */
export const SLA_MISS_SQL = `
SELECT ${periodKey("sla_miss", "d")} AS key, 'sla_miss' AS rule, 'critical' AS severity,
       d.service_id, d.kind, d.period_start, d.period_date, l.id AS run_id, NULL::text AS subject,
       s.name || ' daily ' || to_char(d.period_date, 'YYYY-MM-DD') || ' not done by ' || s.expected_done_by
         || ' ' || s.time_zone || ' (' || coalesce('latest run ' || l.status::text, 'no run') || ')' AS summary,
       l.error
  FROM unnest($2::int[], $3::date[], $4::timestamptz[], $5::timestamptz[]) AS d0(service_id, period_date, period_start, deadline)
  CROSS JOIN LATERAL (SELECT d0.*, 'daily'::run_kind AS kind) d
  JOIN services s ON s.id = d.service_id
  LEFT JOIN LATERAL (SELECT r.id, r.status, r.error FROM runs r
                      WHERE r.service_id = d.service_id AND r.kind = 'daily' AND r.period_date = d.period_date
                      ORDER BY r.id DESC LIMIT 1) l ON true
 WHERE $1 > d.deadline AND l.status IS DISTINCT FROM 'done'`;

/**
 * Running runs that have taken longer than $2 × the median duration of the last 14 done runs of
 * the same service and kind (at least 3 of them, so one odd run does not set the bar).
 */
export const LONG_RUNNING_SQL = `
SELECT ${periodKey("long_running", "r")} AS key, 'long_running' AS rule, 'warning' AS severity,
       r.service_id, r.kind, r.period_start, r.period_date, r.id AS run_id, NULL::text AS subject,
       'run ' || r.id || ' of ' || s.name || ' has run ' || round(extract(epoch FROM ($1 - r.started_at)) / 60)
         || ' min, over ' || $2::float8 || ' × its usual ' || CASE WHEN m.median < 90 THEN round(m.median) || ' s' ELSE round(m.median / 60) || ' min' END AS summary,
       NULL::text AS error
  FROM runs r
  JOIN services s ON s.id = r.service_id
 CROSS JOIN LATERAL (
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (h.finished_at - h.started_at))) AS median, count(*) AS n
         FROM (SELECT finished_at, started_at FROM runs h
                WHERE h.service_id = r.service_id AND h.kind = r.kind AND h.status = 'done' AND h.started_at IS NOT NULL
                ORDER BY h.period_date DESC, h.id DESC LIMIT 14) h) m
 WHERE r.status = 'running' AND r.started_at IS NOT NULL AND m.n >= 3
   -- and at least $3 seconds over its usual time: a 5-second run taking 20 s wakes nobody
   AND extract(epoch FROM ($1 - r.started_at)) > greatest($2::float8 * greatest(m.median, 1), m.median + $3::float8)`;

/**
 * The oldest claimable queued run has waited more than $2 minutes (not counted while the fleet
 * or its service is paused, or every live runner was paused one by one — drained: then waiting is
 * what an operator asked for; with no live runner at all, runner_stale speaks too).
 */
export const STUCK_QUEUE_SQL = `
SELECT 'stuck_queue' AS key, 'stuck_queue' AS rule, 'critical' AS severity,
       NULL::int AS service_id, NULL::run_kind AS kind, NULL::timestamptz AS period_start, NULL::date AS period_date,
       q.id AS run_id, 'queue' AS subject,
       'the oldest queued run (' || q.id || ', ' || q.name || ') has waited ' || round(extract(epoch FROM ($1 - q.since)) / 60) || ' min' AS summary,
       NULL::text AS error
  FROM (SELECT r.id, s.name, greatest(r.queued_at, r.not_before) AS since
          FROM runs r JOIN services s ON s.id = r.service_id
         WHERE r.status = 'queued' AND r.not_before <= $1 AND s.enabled AND NOT s.paused
           AND NOT (SELECT paused FROM runner_control WHERE id = 1)
           -- a live runner that would claim it, or none at all (then runner_stale speaks too)
           AND (SELECT coalesce(bool_or(NOT x.paused), true) FROM runners x WHERE ${liveRunnerSql("$1::timestamptz")})
         ORDER BY since, r.id LIMIT 1) q
 WHERE $1 - q.since > make_interval(mins => $2::int)`;

const FRESH = "$1::timestamptz - make_interval(secs => $2::int)";

/**
 * A runner that has not stopped but has not heartbeated for $2 seconds, unless a runner was started
 * on its host since (it was restarted: REPLACED_RUNNER_SQL). Critical when no runner at all is
 * alive: then nothing is launched, and no runner is left to tell anyone (the web's alert loop does).
 * A warning says how to forget it (control/runner-actions.ts), which is what resolves it when it
 * will never come back.
 */
export const RUNNER_STALE_SQL = `
SELECT 'runner_stale:' || x.id AS key, 'runner_stale' AS rule,
       CASE WHEN alive.n = 0 THEN 'critical' ELSE 'warning' END AS severity,
       NULL::int AS service_id, NULL::run_kind AS kind, NULL::timestamptz AS period_start, NULL::date AS period_date,
       NULL::bigint AS run_id, x.id AS subject,
       'runner ' || x.id || ' (pid ' || x.pid || ' on ' || h.name || ') last heartbeated ' || round(extract(epoch FROM ($1 - x.heartbeat_at))) || ' s ago'
         || CASE WHEN alive.n = 0 THEN '; no runner is alive, so no run is being launched'
                 ELSE '; if it is gone for good (a pod lost with its node), forget it: home page, or switchyard runners forget ' || x.id END AS summary,
       NULL::text AS error
  FROM runners x
  JOIN hosts h ON h.id = x.host_id
 CROSS JOIN (SELECT count(*) AS n FROM runners z WHERE z.stopped_at IS NULL AND z.heartbeat_at >= ${FRESH}) alive
 WHERE x.stopped_at IS NULL AND x.heartbeat_at < ${FRESH}
   AND NOT ${REPLACED_RUNNER_SQL}`;

/** A crash loop: this many ends of a host's runners without a stop, within this many minutes. */
const RUNNER_CRASHES = 3;
const RUNNER_CRASH_WINDOW_MINUTES = 15;

/**
 * A host whose runner died without stopping (a crash, kill -9, an OOM kill) and was started again
 * RUNNER_CRASHES times within RUNNER_CRASH_WINDOW_MINUTES: a crash loop. runner_stale does not see
 * one (each dead row is replaced before it is stale), and each crash loses the runs it held.
 * Resolves once the window holds fewer; a restart after a clean stop does not count.
 */
export const RUNNER_RESTARTS_SQL = `
SELECT 'runner_restarts:' || h.name AS key, 'runner_restarts' AS rule, 'critical' AS severity,
       NULL::int AS service_id, NULL::run_kind AS kind, NULL::timestamptz AS period_start, NULL::date AS period_date,
       NULL::bigint AS run_id, h.name AS subject,
       'the runner on ' || h.name || ' died ' || c.n || ' times in the last ${RUNNER_CRASH_WINDOW_MINUTES} min without stopping (the last one pid '
         || c.last_pid || '); the supervisor keeps starting it again' AS summary,
       NULL::text AS error
  FROM (SELECT x.host_id, count(*) AS n, (array_agg(x.pid ORDER BY x.heartbeat_at DESC))[1] AS last_pid
          FROM runners x
         WHERE x.stopped_at IS NULL AND x.heartbeat_at > $1::timestamptz - make_interval(mins => ${RUNNER_CRASH_WINDOW_MINUTES})
           AND ${REPLACED_RUNNER_SQL}
         GROUP BY x.host_id) c
  JOIN hosts h ON h.id = c.host_id
 WHERE c.n >= ${RUNNER_CRASHES}`;

/**
 * An alert channel (not paused; $2 its name among the active ones) that gave up on its messages
 * since the last one it delivered: a revoked webhook or a changed SMTP password pages nobody, and
 * only the other channels can say so (enqueue.ts never sends this incident to the channel itself).
 * Retries under way do not count, so a channel that is slow for a minute does not page. Resolves
 * once a message goes through again.
 */
export const CHANNEL_FAILING_SQL = `
SELECT 'channel_failing:' || d.channel AS key, 'channel_failing' AS rule, 'critical' AS severity,
       NULL::int AS service_id, NULL::run_kind AS kind, NULL::timestamptz AS period_start, NULL::date AS period_date,
       NULL::bigint AS run_id, d.channel AS subject,
       'alert channel ' || d.channel || ' gave up on ' || d.given_up || CASE WHEN d.given_up = 1 THEN ' message' ELSE ' messages' END || ' since '
         || to_char(d.given_up_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC: whoever it pages is not being told (Channels page: fix it, then Test send)' AS summary,
       d.last_error AS error
  FROM (${channelDeliverySql("$2::text[]", "$1::timestamptz")}) d
 WHERE d.given_up > 0`;

/**
 * When an open incident of a rule resolves by itself, as a condition on the incident row `i`:
 * a failed or late period when its latest run is done, a long run when it is no longer running.
 * Fleet rules resolve when they are no longer firing ($2 = the keys firing now).
 */
export const RESOLVE_CONDITIONS: Record<string, string> = {
  run_failed: `(SELECT r.status FROM runs r WHERE r.service_id = i.service_id AND r.kind = i.kind
                  AND r.period_date = i.period_date AND r.period_start = i.period_start ORDER BY r.id DESC LIMIT 1) = 'done'`,
  sla_miss: `(SELECT r.status FROM runs r WHERE r.service_id = i.service_id AND r.kind = i.kind
                AND r.period_date = i.period_date AND r.period_start = i.period_start ORDER BY r.id DESC LIMIT 1) = 'done'`,
  long_running: `NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = i.run_id AND r.status = 'running')`,
  stuck_queue: `i.key <> ALL($2::text[])`,
  runner_stale: `i.key <> ALL($2::text[])`,
  runner_restarts: `i.key <> ALL($2::text[])`,
  channel_failing: `i.key <> ALL($2::text[])`,
};
