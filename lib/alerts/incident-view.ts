import type { IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
import type { IncidentListRow } from "@/lib/db/alerts/incidents";
import type { IncidentView } from "@/lib/schemas/incidents";

// An incident as the control API answers it (incidentSchema): camelCase, ISO instants, numbers.

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function incidentView(i: IncidentRow & { service_name?: string | null }): IncidentView {
  return {
    id: Number(i.id),
    rule: i.rule,
    severity: i.severity,
    status: i.status,
    serviceName: (i as IncidentListRow).service_name ?? null,
    kind: i.kind,
    periodDate: i.period_date,
    periodStart: iso(i.period_start),
    runId: i.run_id === null ? null : Number(i.run_id),
    subject: i.subject,
    summary: i.summary,
    error: i.error,
    openedAt: iso(i.opened_at)!,
    openedCount: i.opened_count,
    acknowledgedAt: iso(i.acknowledged_at),
    acknowledgedBy: i.acknowledged_by,
    resolvedAt: iso(i.resolved_at),
    resolvedBy: i.resolved_by,
  };
}
