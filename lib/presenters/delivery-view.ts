import type { ChannelDelivery } from "@/lib/db/alerts/channel-messages";

// One outbox row as the Incidents and Channels pages show it: incident messages, digests and
// test-sends alike, a failing one with its last error.

export type DeliveryView = { id: number; event: string; status: string; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null; summary: string | null; incidentId: number | null };

export function deliveryView(d: ChannelDelivery): DeliveryView {
  return { id: d.id, event: d.event, status: d.status, attempts: d.attempts, lastError: d.last_error, createdAt: d.created_at.toISOString(), sentAt: d.sent_at?.toISOString() ?? null, summary: d.summary, incidentId: d.incident_id };
}
