import { listIncidents, type IncidentListRow } from "@/lib/db/alerts/incidents";
import { getServiceRecord } from "@/lib/db/services/service-record";
import { RESOLVED_PAGE } from "@/lib/schemas/incidents";
import { listActiveSilences } from "@/lib/db/alerts/silences";
import { silenceView } from "@/lib/alerts/silence-view";
import { listChannelDeliveries } from "@/lib/db/alerts/channel-messages";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { deliveryView, type DeliveryView } from "@/lib/presenters/delivery-view";
import { formatPeriod, wallTimeAt } from "@/lib/time/zoned-time";

// The incidents page: open incidents first (oldest on top), the last resolved ones, and each
// channel's recent deliveries with their outcome and last error; with a service, only its incidents
// (linked from its page) and no deliveries.

export type IncidentView = {
  id: number;
  rule: string;
  severity: string;
  status: "open" | "resolved";
  service: string | null;
  /** what a fleet incident is about, when no service is: a channel, a runner, a host, the queue */
  about: { text: string; href: string | null } | null;
  period: string | null;
  summary: string;
  error: string | null;
  runId: number | null;
  openedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  reopened: number;
};

/**
 * The period as every other table writes it (formatPeriod): an hourly's hour in the service's own
 * zone ("2026-12-05 11:00", as the run's own summary says). The date is already the service's; only
 * the hour is read from the period's start.
 */
function periodOf(r: IncidentListRow): string | null {
  if (r.period_date === null) return null;
  const zone = r.service_time_zone;
  return formatPeriod(r.period_date, r.kind === "hourly" && r.period_start && zone ? wallTimeAt(zone, r.period_start).hour : null);
}

/**
 * A fleet incident's subject named for what it is, with the page where it is dealt with: a failing
 * channel on Channels; a silent or crash-looping runner and the scheduler on the home page's
 * Component health (where a runner is forgotten), the queue on its Queue card.
 */
export function aboutOf(rule: string, subject: string | null): { text: string; href: string | null } | null {
  switch (rule) {
    case "channel_failing":
      return { text: `channel ${subject}`, href: "/channels" };
    case "runner_stale":
      return { text: `runner ${subject}`, href: "/#health-heading" };
    case "runner_restarts":
      return { text: `host ${subject}`, href: "/#health-heading" };
    case "stuck_queue":
      return { text: "the queue", href: "/#queue-heading" };
    case "scheduler_unreachable":
      return { text: "the scheduler", href: "/#health-heading" };
    default:
      return subject ? { text: subject, href: null } : null;
  }
}

/** An incident as the page shows it: the period in the service's own zone, ISO instants. */
export function toIncidentView(r: IncidentListRow): IncidentView {
  return {
    id: r.id,
    rule: r.rule,
    severity: r.severity,
    status: r.status,
    service: r.service_name,
    about: r.service_name ? null : aboutOf(r.rule, r.subject),
    period: periodOf(r),
    summary: r.summary,
    error: r.error,
    runId: r.run_id,
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    reopened: r.opened_count - 1,
  };
}


/**
 * The page's data; null when `service` names no service. `before`: the next page, resolved
 * incidents only, after that one; `nextBefore` is where the page after this one starts (null on the last).
 */
export async function getIncidentsData(db: Queryable, q: { service?: string; before?: number } = {}) {
  const service = q.service === undefined ? null : await getServiceRecord(db, q.service);
  if (q.service !== undefined && !service) return null;
  const [rows, deliveries, silences] = await Promise.all([
    listIncidents(db, { resolvedLimit: RESOLVED_PAGE, serviceId: service?.id ?? null, resolvedBefore: q.before ?? null }),
    service || q.before ? [] : listChannelDeliveries(db, "all", 10),
    q.before ? [] : listActiveSilences(db, new Date()), // an older page shows no silences
  ]);
  const channels = new Map<string, DeliveryView[]>();
  for (const d of deliveries) {
    const list = channels.get(d.channel) ?? [];
    list.push(deliveryView(d));
    channels.set(d.channel, list);
  }
  const resolved = rows.filter((r) => r.status === "resolved");
  return {
    incidents: rows.map(toIncidentView),
    service: service ? { name: service.name, displayName: service.displayName } : null,
    channels: [...channels].map(([name, list]) => ({ name, deliveries: list })),
    /** the services whose alerts are silenced now (only this one's with a service) */
    silences: silences.filter((s) => !service || s.service_id === service.id).map((s) => ({ service: s.service_name, ...silenceView(s) })),
    nextBefore: resolved.length === RESOLVED_PAGE ? resolved[resolved.length - 1].id : null,
    now: new Date().toISOString(),
  };
}
