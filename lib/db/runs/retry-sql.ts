import { queuePriority } from "@/lib/runner/run-states";

// The retry policy as SQL, shared by the two statements that end runs (a runner finishing one,
// lost-run detection): for each ended row of `source` that failed or was lost and has attempts
// left, queue the next attempt after the service's backoff, doubled per attempt. The request key
// "retry:<run id>" makes it one retry per ended run, even if two runners end the same run.
// ON CONFLICT has no target: if an operator's run already holds the period again
// (runs_one_active_per_period), the retry is not queued — that run is the next attempt.

export function retryInsertSql(source: string): string {
  return `INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, attempt, trigger, force, queue_priority,
                    request_key, requested_by, reason, from_task, not_before)
  SELECT f.service_id, f.kind, f.period_start, f.period_date, f.period_hour, f.attempt + 1, 'retry', f.force,
         greatest(${queuePriority.retry}, f.queue_priority), 'retry:' || f.id, 'retry-policy',
         'attempt ' || f.attempt || ' ' || f.status || ': ' || coalesce(f.error, ''), f.from_task,
         now() + make_interval(secs => s.retry_backoff_seconds * power(2, f.attempt - 1))
    FROM ${source} f JOIN services s ON s.id = f.service_id
   WHERE f.status IN ('failed', 'lost') AND f.attempt <= s.retry_attempts AND s.enabled
      ON CONFLICT DO NOTHING
  RETURNING id, service_id`;
}
