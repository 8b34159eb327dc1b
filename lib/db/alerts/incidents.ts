import { INCIDENT_COLUMNS, type IncidentChange, type IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
import type { Queryable } from "@/lib/db/runs/run-columns";

// Reading incidents for the page, and the two operator transitions. Each transition is one
// conditional UPDATE: the row count decides, so two operators clicking at once cannot both win.

export type IncidentListRow = IncidentRow & { service_name: string | null; service_time_zone: string | null };

export type IncidentListOptions = {
  /** how many resolved incidents, newest first (0: open ones only) */
  resolvedLimit: number;
  /** only this service's */
  serviceId?: number | null;
  /** the next page: resolved incidents listed after this one (by resolved time), and no open ones */
  resolvedBefore?: number | null;
};

/** Every open incident (oldest first), then the most recently resolved ones. */
export async function listIncidents(db: Queryable, o: IncidentListOptions): Promise<IncidentListRow[]> {
  const params: unknown[] = [o.resolvedLimit];
  const ofService = o.serviceId == null ? "" : `AND service_id = $${params.push(o.serviceId)}`;
  // (time, id): incidents resolved at the same instant are split by id, none lost or repeated
  const after = o.resolvedBefore == null ? "" : `AND (resolved_at, id) < (SELECT resolved_at, id FROM alert_incidents WHERE id = $${params.push(o.resolvedBefore)})`;
  const resolved = `(SELECT i.*, s.name AS service_name, s.time_zone AS service_time_zone
        FROM (SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE status = 'resolved' ${ofService} ${after} ORDER BY resolved_at DESC NULLS LAST, id DESC LIMIT $1) i
        LEFT JOIN services s ON s.id = i.service_id
       ORDER BY i.resolved_at DESC NULLS LAST, i.id DESC)`;
  const open = `(SELECT i.*, s.name AS service_name, s.time_zone AS service_time_zone
        FROM (SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE status = 'open' ${ofService}) i LEFT JOIN services s ON s.id = i.service_id
       ORDER BY i.opened_at, i.id)`;
  const r = await db.query<IncidentListRow>(o.resolvedBefore == null ? `${open} UNION ALL ${resolved}` : resolved, params);
  return r.rows;
}

/**
 * Deletes resolved incidents resolved more than `days` ago, with their delivery rows (the outbox's
 * foreign key cascades). Open ones are never touched, whatever their age.
 */
export async function pruneIncidents(db: Queryable, days: number): Promise<number> {
  const r = await db.query("DELETE FROM alert_incidents WHERE status = 'resolved' AND resolved_at < now() - make_interval(days => $1)", [days]);
  return r.rowCount ?? 0;
}

export async function getIncident(db: Queryable, id: number): Promise<IncidentRow | null> {
  const r = await db.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}

/** Acknowledge an open, not yet acknowledged incident; null when it is not (the caller says why). */
export async function acknowledgeIncidentRow(db: Queryable, id: number, by: string, now: Date): Promise<IncidentRow | null> {
  const r = await db.query<IncidentRow>(
    `UPDATE alert_incidents SET acknowledged_at = $3, acknowledged_by = $2
      WHERE id = $1 AND status = 'open' AND acknowledged_at IS NULL RETURNING ${INCIDENT_COLUMNS}`,
    [id, by, now],
  );
  return r.rows[0] ?? null;
}

/**
 * Resolve an open incident by hand and let `onResolved` write the resolve messages in the same
 * transaction. It stays resolved for the same run (evaluate-incidents re-opens only for a new one).
 */
export async function resolveIncidentRow(
  db: Queryable,
  id: number,
  by: string,
  now: Date,
  onResolved: (db: Queryable, change: IncidentChange) => Promise<unknown>,
): Promise<IncidentRow | null> {
  // the caller's transaction (lib/control's audited()) holds the resolve, its messages and its audit row
  const r = await db.query<IncidentRow>(
    `UPDATE alert_incidents SET status = 'resolved', resolved_at = $3, resolved_by = $2
      WHERE id = $1 AND status = 'open' RETURNING ${INCIDENT_COLUMNS}`,
    [id, by, now],
  );
  const row = r.rows[0] ?? null;
  if (row) await onResolved(db, { event: "resolve", incident: row });
  return row;
}
