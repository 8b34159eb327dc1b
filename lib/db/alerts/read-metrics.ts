import type { Queryable } from "@/lib/db/runs/run-columns";

// The numbers /metrics exports, in one round trip. Each part reads a bounded set: runs of
// yesterday's and today's periods (runs_grid_idx), the queue (runs_queue_idx), open incidents
// (alert_incidents_open_idx), and deliveries created in the last day.

export type MetricsSnapshot = {
  runs: Array<{ kind: string; status: string; n: number }>;
  queueDepth: number;
  oldestQueuedSeconds: number;
  openIncidents: Array<{ rule: string; n: number }>;
  deliveries: Array<{ channel: string; status: string; n: number }>;
};

export async function readMetrics(db: Queryable): Promise<MetricsSnapshot> {
  const r = await db.query<{ snapshot: MetricsSnapshot }>(`
    SELECT json_build_object(
      'runs', (SELECT coalesce(json_agg(json_build_object('kind', kind, 'status', status, 'n', n)), '[]')
                 FROM (SELECT kind::text, status::text, count(*)::int AS n FROM runs
                        WHERE kind IN ('daily', 'hourly') AND period_date >= current_date - 1 GROUP BY 1, 2) x),
      'queueDepth', (SELECT count(*)::int FROM runs WHERE status = 'queued'),
      'oldestQueuedSeconds', (SELECT coalesce(max(extract(epoch FROM (now() - greatest(queued_at, not_before)))), 0)::float8
                                FROM runs WHERE status = 'queued' AND not_before <= now()),
      'openIncidents', (SELECT coalesce(json_agg(json_build_object('rule', rule, 'n', n)), '[]')
                          FROM (SELECT rule, count(*)::int AS n FROM alert_incidents WHERE status = 'open' GROUP BY 1) x),
      'deliveries', (SELECT coalesce(json_agg(json_build_object('channel', channel, 'status', status, 'n', n)), '[]')
                       FROM (SELECT channel, status, count(*)::int AS n FROM alert_outbox
                              WHERE created_at > now() - interval '1 day' GROUP BY 1, 2) x)
    ) AS snapshot`);
  return r.rows[0].snapshot;
}
