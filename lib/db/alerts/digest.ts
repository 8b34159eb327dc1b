import { INCIDENT_COLUMNS, type IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
import type { Queryable } from "@/lib/db/runs/run-columns";

// What a daily digest reads: the open incidents (failed periods, missing and late dailies, slow
// runs, fleet trouble — each already decided by the rules) with their service, and how many were
// resolved since the day before. Bounded by open incidents, not by history.

export type DigestIncidentRow = IncidentRow & { service_name: string | null; service_labels: Record<string, unknown> | null };

export async function listDigestIncidents(db: Queryable, resolvedSince: Date): Promise<{ open: DigestIncidentRow[]; resolved: DigestIncidentRow[] }> {
  const r = await db.query<DigestIncidentRow>(
    `SELECT i.*, s.name AS service_name, s.labels AS service_labels
       FROM (SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE status = 'open'
             UNION ALL
             SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE status = 'resolved' AND resolved_at >= $1) i
       LEFT JOIN services s ON s.id = i.service_id
      ORDER BY i.opened_at, i.id`,
    [resolvedSince],
  );
  return { open: r.rows.filter((i) => i.status === "open"), resolved: r.rows.filter((i) => i.status === "resolved") };
}
