import type { Queryable } from "@/lib/db/runs/run-columns";
import type { IncidentChange } from "@/lib/db/alerts/evaluate-incidents";
import { enqueueMessages, type NewMessage } from "@/lib/db/alerts/outbox";
import { activeSilences } from "@/lib/db/alerts/silences";
import { channelWants, quietHoursNote } from "@/lib/alerts/match-channel";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// Turns incident changes into outbox rows, one per matching channel, inside the caller's
// transaction. The payload is a snapshot taken now (what the incident was when it changed), so a
// retry hours later sends the same message. A message is recorded skipped when its channel is
// paused, in quiet hours (all but critical), or, for an open message, its service is silenced —
// then it is held with the silence and goes out when the silence ends if the incident is still
// open (lib/db/alerts/silences.ts).

export type AlertPayload = {
  idempotencyKey: string;
  event: "open" | "resolve";
  /** set on an open message a silence of its service held back: when the silence ended and it went out */
  heldUntil?: string;
  incident: {
    id: number;
    rule: string;
    severity: string;
    service: string | null;
    kind: string | null;
    period: string | null;
    summary: string;
    error: string | null;
    openedAt: string;
    resolvedAt: string | null;
    resolvedBy: string | null;
    links: { incident: string; run: string | null; service: string | null };
  };
};

export async function enqueueChanges(db: Queryable, channels: AlertChannel[], publicUrl: string, now: Date, changes: IncidentChange[]): Promise<number> {
  if (changes.length === 0 || channels.length === 0) return 0;
  const ids = [...new Set(changes.map((c) => c.incident.service_id).filter((id): id is number => id !== null))];
  const services = new Map<number, { name: string; labels: Record<string, unknown> }>();
  if (ids.length > 0) {
    const rows = await db.query<{ id: number; name: string; labels: Record<string, unknown> }>("SELECT id, name, labels FROM services WHERE id = ANY($1::int[])", [ids]);
    for (const r of rows.rows) services.set(r.id, r);
  }
  const silences = await activeSilences(db, ids, now);
  const base = publicUrl.replace(/\/+$/, "");
  const messages: NewMessage[] = [];
  for (const { event, incident: i } of changes) {
    const service = i.service_id === null ? undefined : services.get(i.service_id);
    const facts = { rule: i.rule, severity: i.severity, serviceName: service?.name ?? null, labels: service?.labels ?? {} };
    const payload: AlertPayload = {
      idempotencyKey: `switchyard-incident-${i.id}-${i.opened_count}-${event}`,
      event,
      incident: {
        id: i.id,
        rule: i.rule,
        severity: i.severity,
        service: service?.name ?? null,
        kind: i.kind,
        period: i.period_date === null ? null : i.kind === "hourly" && i.period_start ? i.period_start.toISOString() : i.period_date,
        summary: i.summary,
        error: i.error,
        openedAt: i.opened_at.toISOString(),
        resolvedAt: i.resolved_at?.toISOString() ?? null,
        resolvedBy: i.resolved_by,
        links: {
          incident: `${base}/incidents`,
          run: i.run_id === null ? null : `${base}/runs/${i.run_id}`,
          service: service ? `${base}/services/${encodeURIComponent(service.name)}` : null,
        },
      },
    };
    const silence = i.service_id === null ? undefined : silences.get(i.service_id);
    for (const channel of channels) {
      if (!channelWants(channel, facts)) continue;
      // a channel that cannot deliver is told of it through the others, not through itself
      if (i.rule === "channel_failing" && i.subject === channel.name) continue;
      // Quiet hours: only critical goes out; the rest is recorded as skipped, visible on the page.
      const quiet = i.severity === "critical" ? null : quietHoursNote(channel, now);
      // a resolve is not held: it goes where its open went (and nowhere its open was held)
      const held = event === "open" && !channel.paused && silence;
      messages.push({
        incidentId: i.id,
        seq: i.opened_count,
        event,
        channel: channel.name,
        payload: { ...payload, idempotencyKey: `${payload.idempotencyKey}-${channel.name}` },
        skipped: channel.paused
          ? "channel paused"
          : held
            ? `${service?.name} silenced until ${held.ends_at.toISOString()} by ${held.created_by}${held.reason ? `: ${held.reason}` : ""}`
            : quiet,
        silenceId: held ? held.id : null,
      });
    }
  }
  return enqueueMessages(db, now, messages);
}
