import type pg from "pg";
import type { z } from "zod";
import { selectAuditLog, type AuditEntry, type AuditFilter } from "@/lib/db/queries/select-audit-log";
import type { auditInput } from "@/lib/presenters/inputs";
import { AUDIT_PAGE } from "@/lib/schemas/audit";

// The Audit page: who did what, when, why, and what happened — newest first, filterable. The
// control API's GET /api/v1/audit reads its pages the same way (readAuditPage).

export type AuditQuery = z.output<typeof auditInput>;
/** since: the instant `within` stands for (null without it), for the export link to ask the same */
export type AuditData = { query: AuditQuery; entries: AuditEntry[]; nextBefore: number | null; since: string | null };

const WITHIN_MS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

/** Up to `limit` entries, newest first, and the id to ask `before` for the next page (null on the last). */
export async function readAuditPage(pool: pg.Pool, filter: AuditFilter, limit: number): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const rows = await selectAuditLog(pool, { ...filter, limit: limit + 1 });
  const entries = rows.slice(0, limit);
  return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1].id : null };
}

export async function getAuditData(pool: pg.Pool, query: AuditQuery, now = new Date()): Promise<AuditData> {
  const since = query.within ? new Date(now.getTime() - WITHIN_MS[query.within]).toISOString() : null;
  return { query, since, ...(await readAuditPage(pool, { ...query, since }, AUDIT_PAGE)) };
}
