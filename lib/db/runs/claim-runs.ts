import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { RUN_COLUMNS, toRun, type Run } from "@/lib/db/runs/run-columns";
import { SERVICE_LAUNCH_COLUMNS, toServiceLaunch, type ServiceLaunch } from "@/lib/db/services/service-launch";

// The claim: a runner takes up to n queued runs that are due, in queue order (manual, retry,
// scheduled, backfill; then oldest first), within every limit — the fleet's (runner_control),
// this host's, each service's and each concurrency group's — and marks them running as its own.
//
// The statement is one UPDATE served by runs_queue_idx (queued runs in claim order) and
// runs_running_idx (the running runs that the limits count). FOR UPDATE SKIP LOCKED makes a
// claim pass over runs that another transaction holds (a cancel, another claim) instead of
// waiting for them. Limits are counts, and a count taken in one runner's snapshot cannot see a
// claim that another runner commits a moment later, so claims are serialised by a transaction
// advisory lock taken just before: held for the few milliseconds of this statement, it makes
// "at most N" exact. Plans: lib/db/runs/QUERY-PLANS.md; latency: bench/runner/README.md.

export type ClaimedRun = Run & { service: ServiceLaunch };

export type ClaimRequest = {
  runnerId: string;
  host: string;
  /** how many runs this runner can start now */
  wanted: number;
  /** most runs running on this host across all runners; null = no host limit */
  hostLimit: number | null;
  /** how many queued runs one claim looks at; runs held back by a per-service or group limit count against it */
  scanLimit?: number;
};

const CLAIM_LOCK = 0x5717_c1a1; // any constant: the key of the claim lock

export const CLAIM_SQL = `
WITH control AS (
  SELECT paused, max_running FROM runner_control WHERE id = 1
), running AS (
  SELECT r.service_id, s.concurrency_group, r.host
    FROM runs r JOIN services s ON s.id = r.service_id
   WHERE r.status = 'running'
), service_load AS (
  SELECT service_id, count(*)::int AS n FROM running GROUP BY service_id
), group_load AS (
  SELECT concurrency_group AS name, count(*)::int AS n FROM running WHERE concurrency_group IS NOT NULL GROUP BY concurrency_group
), capacity AS (
  SELECT greatest(0, least(
           $3::int,
           coalesce((SELECT max_running FROM control) - (SELECT count(*) FROM running), $3::int),
           coalesce($4::int - (SELECT count(*) FROM running WHERE host = $2), $3::int)))::int AS n
), candidates AS (
  SELECT r.id, r.service_id, s.concurrency_group, r.queue_priority, r.not_before,
         o.max_running AS service_limit, coalesce(sl.n, 0) AS service_running,
         g.max_running AS group_limit, coalesce(gl.n, 0) AS group_running
    FROM runs r
    JOIN services s ON s.id = r.service_id
    LEFT JOIN service_run_options o ON o.service_id = r.service_id
    LEFT JOIN service_load sl ON sl.service_id = r.service_id
    LEFT JOIN concurrency_groups g ON g.name = s.concurrency_group
    LEFT JOIN group_load gl ON gl.name = s.concurrency_group
   WHERE r.status = 'queued' AND r.not_before <= now()
     AND s.enabled AND NOT s.paused
     AND NOT (SELECT paused FROM control)
     AND (o.max_running IS NULL OR coalesce(sl.n, 0) < o.max_running)
     AND (g.max_running IS NULL OR coalesce(gl.n, 0) < g.max_running)
   ORDER BY r.queue_priority, r.not_before, r.id
   LIMIT $5
     FOR UPDATE OF r SKIP LOCKED
), ranked AS (
  SELECT c.*,
         row_number() OVER (PARTITION BY c.service_id ORDER BY c.queue_priority, c.not_before, c.id) AS service_rank,
         row_number() OVER (PARTITION BY c.concurrency_group ORDER BY c.queue_priority, c.not_before, c.id) AS group_rank
    FROM candidates c
), chosen AS (
  SELECT id FROM ranked
   WHERE (service_limit IS NULL OR service_running + service_rank <= service_limit)
     AND (group_limit IS NULL OR concurrency_group IS NULL OR group_running + group_rank <= group_limit)
   ORDER BY queue_priority, not_before, id
   LIMIT (SELECT n FROM capacity)
)
UPDATE runs r
   SET status = 'running', runner_id = $1, host = $2, started_at = now(), last_update_at = now()
  FROM chosen c, services s LEFT JOIN service_run_options o ON o.service_id = s.id
 WHERE r.id = c.id AND s.id = r.service_id AND r.status = 'queued'
RETURNING ${RUN_COLUMNS}, ${SERVICE_LAUNCH_COLUMNS}`;

export async function claimRuns(pool: pg.Pool, request: ClaimRequest): Promise<ClaimedRun[]> {
  if (request.wanted <= 0) return [];
  const params = [request.runnerId, request.host, request.wanted, request.hostLimit, request.scanLimit ?? 100];
  const result = await withTransaction(pool, (client) => client.query(CLAIM_SQL, params), { lock: CLAIM_LOCK });
  return result.rows
    .map((row) => ({ ...toRun(row), service: toServiceLaunch(row) }))
    .sort((a, b) => a.queuePriority - b.queuePriority || a.notBefore.getTime() - b.notBefore.getTime() || a.id - b.id);
}
