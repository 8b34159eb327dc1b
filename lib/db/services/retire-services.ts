import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { actorLabel, recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";

// Retires services: disables those running `dailyCommand` that are not in `keep`, and cancels
// their queued runs (runs already running finish). Disabled, not paused: a paused service still
// gets its due periods queued. Each gets a "service.update" audit row marked `retired`, in the
// same transaction, and a service is retired once: one enabled again by hand stays enabled.
// `switchyard start` uses it for the demo fleet when a team's own services file takes over.

export type RetiredService = { service: string; cancelledRuns: number };

const RETIRE_SQL = `
WITH retired AS (
  UPDATE services s SET enabled = false, updated_at = now()
   WHERE s.enabled AND NOT (s.name = ANY($1::text[])) AND s.daily_command = $2
     AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.target_type = 'service' AND a.target_id = s.name AND a.action = 'service.update' AND a.result ? 'retired')
  RETURNING s.id, s.name
), cancelled AS (
  UPDATE runs r SET status = 'cancelled', finished_at = now(), last_update_at = now(), error = 'cancelled by ' || $3 || ' before it started: its service was disabled'
    FROM retired WHERE r.service_id = retired.id AND r.status = 'queued'
  RETURNING r.service_id
)
SELECT name, (SELECT count(*) FROM cancelled c WHERE c.service_id = retired.id)::int AS cancelled FROM retired ORDER BY name`;

export async function retireServices(pool: pg.Pool, input: { keep: string[]; dailyCommand: string; actor: Actor | string; reason: string }): Promise<RetiredService[]> {
  return withTransaction(pool, async (client) => {
    const rows = (await client.query<{ name: string; cancelled: number }>(RETIRE_SQL, [input.keep, input.dailyCommand, actorLabel(input.actor)])).rows;
    for (const { name, cancelled } of rows) {
      await recordAudit(client, {
        actor: input.actor,
        action: "service.update",
        targetType: "service",
        targetId: name,
        reason: input.reason,
        outcome: "ok",
        result: { changed: { enabled: { from: true, to: false } }, retired: true, cancelledRuns: cancelled },
      });
    }
    return rows.map((r) => ({ service: r.name, cancelledRuns: r.cancelled }));
  });
}
