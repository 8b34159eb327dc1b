import type pg from "pg";
import type { z } from "zod";
import { selectAuditLog, type AuditEntry } from "@/lib/db/queries/select-audit-log";
import type { auditInput } from "@/lib/presenters/inputs";

// The Audit page: who did what, when, why, and what happened — newest first, filterable.

export const AUDIT_PER_PAGE = 100;

export type AuditQuery = z.output<typeof auditInput>;
/** since: the instant `within` stands for (null without it), for the export link to ask the same */
export type AuditData = { query: AuditQuery; entries: AuditEntry[]; nextBefore: number | null; since: string | null };

const WITHIN_MS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

export async function getAuditData(pool: pg.Pool, query: AuditQuery, now = new Date()): Promise<AuditData> {
  const since = query.within ? new Date(now.getTime() - WITHIN_MS[query.within]).toISOString() : null;
  const rows = await selectAuditLog(pool, { ...query, since, limit: AUDIT_PER_PAGE + 1 });
  const entries = rows.slice(0, AUDIT_PER_PAGE);
  return { query, entries, nextBefore: rows.length > AUDIT_PER_PAGE ? entries[entries.length - 1].id : null, since };
}
