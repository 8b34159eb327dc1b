import type pg from "pg";
import { conflict, notFound } from "@/lib/api/errors";
import { loadAlertConfig } from "@/lib/alerts/alert-config";
import { enqueueChanges } from "@/lib/alerts/enqueue";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { acknowledgeIncidentRow, getIncident, resolveIncidentRow } from "@/lib/db/alerts/incidents";
import type { IncidentRow } from "@/lib/db/alerts/evaluate-incidents";
// The one place alerts reach the operator-action machinery; at merge this points at lib/control/.
import { audited } from "@/lib/runner/control/audited";

// POST /api/v1/incidents/{id}/acknowledge and /resolve: audited operator actions. Resolving by
// hand sends the resolve message to the channels that had the open one.

export type IncidentActionInput = { id: number; reason?: string };

export async function acknowledgeIncident(pool: pg.Pool, actor: Actor, input: IncidentActionInput, now = new Date()): Promise<{ incident: IncidentRow }> {
  return audited(
    pool,
    actor,
    { action: "incident.acknowledge", targetType: "incident", targetId: input.id, reason: input.reason },
    async () => {
      const incident = await acknowledgeIncidentRow(pool, input.id, actorLabel(actor), now);
      if (incident) return { incident };
      const current = await getIncident(pool, input.id);
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
    { action: "incident.resolve", targetType: "incident", targetId: input.id, reason: input.reason },
    async () => {
      const incident = await resolveIncidentRow(pool, input.id, actorLabel(actor), now, (client, change) =>
        enqueueChanges(client, config.channels, config.publicUrl, now, [change]),
      );
      if (incident) return { incident };
      const current = await getIncident(pool, input.id);
      if (!current) throw notFound(`incident ${input.id}`);
      throw conflict(`incident ${input.id} is already resolved`, { status: current.status });
    },
    (r) => ({ rule: r.incident.rule, key: r.incident.key }),
  );
}
