import type pg from "pg";
import { conflict, notFound } from "@/lib/control/errors";
import { loadAlertConfig } from "@/lib/alerts/alert-config";
import { loadChannels } from "@/lib/alerts/channels/load-channels";
import { enqueueChanges } from "@/lib/alerts/enqueue";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { acknowledgeIncidentRow, getIncident, resolveIncidentRow } from "@/lib/db/alerts/incidents";
import type { IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
import { audited } from "@/lib/control/audited";

// POST /api/v1/incidents/{id}/acknowledge and /resolve: audited operator actions. Resolving by
// hand sends the resolve message to the channels that had the open one.

export type IncidentActionInput = { id: number; reason?: string };

export async function acknowledgeIncident(pool: pg.Pool, actor: Actor, input: IncidentActionInput, now = new Date()): Promise<{ incident: IncidentRow }> {
  return audited(
    pool,
    actor,
    { intent: "incident.acknowledge", targetId: input.id, reason: input.reason },
    async (db) => {
      const incident = await acknowledgeIncidentRow(db, input.id, actorLabel(actor), now);
      if (incident) return { incident };
      const current = await getIncident(db, input.id);
      if (!current) throw notFound(`incident ${input.id}`);
      if (current.status !== "open") throw conflict(`incident ${input.id} is already resolved`, { status: current.status });
      throw conflict(`incident ${input.id} was already acknowledged by ${current.acknowledged_by}`, { acknowledgedBy: current.acknowledged_by });
    },
    (r) => ({ rule: r.incident.rule, key: r.incident.key }),
  );
}

export async function resolveIncident(pool: pg.Pool, actor: Actor, input: IncidentActionInput, now = new Date()): Promise<{ incident: IncidentRow }> {
  const config = loadAlertConfig();
  return audited(
    pool,
    actor,
    { intent: "incident.resolve", targetId: input.id, reason: input.reason },
    async (db) => {
      const channels = await loadChannels(db, config.channels);
      const incident = await resolveIncidentRow(db, input.id, actorLabel(actor), now, (tx, change) => enqueueChanges(tx, channels, config.publicUrl, now, [change]));
      if (incident) return { incident };
      const current = await getIncident(db, input.id);
      if (!current) throw notFound(`incident ${input.id}`);
      throw conflict(`incident ${input.id} is already resolved`, { status: current.status });
    },
    (r) => ({ rule: r.incident.rule, key: r.incident.key }),
  );
}
