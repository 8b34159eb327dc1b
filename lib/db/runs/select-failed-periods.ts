import type { Queryable } from "@/lib/db/runs/run-columns";

// The periods whose latest run failed (or was lost) and finished within the last `hours`, of
// enabled services — what the home page lists as failed, for re-running them all at once after an
// outage of something they share (lib/control/rerun-failed.ts). Served by runs_failed_finished_idx
// (partial: failed and lost runs only), then one look per candidate at whether a later run of its
// period exists (runs_service_period_idx, as the home page's table does); capped at `limit`, oldest failure first, so repeated calls make progress.

export type FailedPeriod = {
  runId: number;
  serviceId: number;
  serviceName: string;
  kind: "daily" | "hourly";
  periodStart: Date;
  periodDate: string;
  periodHour: number | null;
  status: "failed" | "lost";
  finishedAt: Date;
  /** its service is paused: the re-run waits in the queue until it is resumed */
  servicePaused: boolean;
};

export async function selectFailedPeriods(
  db: Queryable,
  q: { hours: number; now: Date; kind?: "daily" | "hourly"; serviceId?: number; runIds?: number[]; limit: number },
): Promise<{ periods: FailedPeriod[]; more: boolean }> {
  const r = await db.query<FailedPeriod>(
    `SELECT r.id AS "runId", r.service_id AS "serviceId", s.name AS "serviceName", r.kind, r.period_start AS "periodStart",
            r.period_date::text AS "periodDate", r.period_hour AS "periodHour", r.status, r.finished_at AS "finishedAt",
            s.paused AS "servicePaused"
       FROM runs r JOIN services s ON s.id = r.service_id AND s.enabled
      WHERE r.status IN ('failed', 'lost') AND r.finished_at >= $1::timestamptz - make_interval(hours => $2::int)
        AND ($3::run_kind IS NULL OR r.kind = $3) AND ($4::int IS NULL OR r.service_id = $4) AND ($6::bigint[] IS NULL OR r.id = ANY($6))
        AND NOT EXISTS (SELECT 1 FROM runs n
                         WHERE n.service_id = r.service_id AND n.kind = r.kind AND n.period_date = r.period_date
                           AND n.period_hour IS NOT DISTINCT FROM r.period_hour AND n.id > r.id)
      ORDER BY r.finished_at, r.id
      LIMIT $5`,
    [q.now, q.hours, q.kind ?? null, q.serviceId ?? null, q.limit + 1, q.runIds ?? null],
  );
  return { periods: r.rows.slice(0, q.limit).map((p) => ({ ...p, runId: Number(p.runId) })), more: r.rows.length > q.limit };
}
