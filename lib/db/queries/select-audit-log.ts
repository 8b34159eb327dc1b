import type pg from "pg";

// The audit log, newest first, keyset-paged by id (audit_log_pkey), with optional filters.
// Filter columns are fixed here; values are always bound parameters.

export type AuditFilter = {
  actor?: string | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: "ok" | "denied" | "error" | "pending" | null;
  before?: number | null;
  /** entries at or after this instant */
  since?: string | null;
  limit?: number;
};

export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  /** a user target's e-mail address (its id is a UUID nobody recognises); null for other targets */
  targetName: string | null;
  reason: string | null;
  outcome: string;
  result: unknown;
};

export function buildAuditQuery(filter: AuditFilter): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (filter.actor) where.push(`actor ILIKE ${add(`%${escapeLike(filter.actor)}%`)}`);
  if (filter.action) where.push(`action = ${add(filter.action)}`);
  if (filter.targetType) where.push(`target_type = ${add(filter.targetType)}`);
  if (filter.targetId) where.push(`target_id = ${add(filter.targetId)}`);
  if (filter.outcome) where.push(`outcome = ${add(filter.outcome)}`);
  if (filter.before) where.push(`id < ${add(filter.before)}`);
  if (filter.since) where.push(`at >= ${add(filter.since)}::timestamptz`);
  const text = `
SELECT id, at, actor, action, target_type, target_id, reason, outcome, result,
       (SELECT u.email FROM users u WHERE audit_log.target_type = 'user' AND u.id = audit_log.target_id) AS target_name
  FROM audit_log
 ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
 ORDER BY id DESC
 LIMIT ${add(filter.limit ?? 100)}`;
  return { text, values };
}

export async function selectAuditLog(pool: pg.Pool, filter: AuditFilter): Promise<AuditEntry[]> {
  const r = await pool.query(buildAuditQuery(filter));
  return r.rows.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    reason: row.reason,
    outcome: row.outcome,
    result: row.result,
  }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
