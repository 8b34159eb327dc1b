import type pg from "pg";

// Retention for Luigi's task history (`[task_history] retention_days`): events older than the
// cutoff are deleted in batches through ix_task_events_ts, then the parameters and task rows of
// the tasks left with no event at all. Every statement is driven by the rows being deleted (an
// index range on ts, then primary-key and task_id probes), so a pass costs what it removes, not
// what the history keeps. Luigi's tables keep their columns and indexes: luigid's own history
// readers still work on what is left.

export type PruneResult = { events: number; tasks: number; parameters: number; batches: number };

const DELETE_EVENTS = `
DELETE FROM task_events
 WHERE id IN (SELECT id FROM task_events WHERE ts < $1::timestamp ORDER BY ts LIMIT $2)
RETURNING task_id`;

const DELETE_PARAMETERS = `
DELETE FROM task_parameters p
 WHERE p.task_id = ANY($1::int[])
   AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = p.task_id)`;

const DELETE_TASKS = `
DELETE FROM tasks t
 WHERE t.id = ANY($1::int[])
   AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id)`;

/**
 * Deletes history older than `cutoff` (history timestamps are UTC without a zone, as luigid writes
 * them), `batchSize` events per transaction so no lock is held for long, until nothing is left or
 * `maxBatches` is reached (the next pass goes on where this one stopped).
 */
export async function pruneHistory(pool: pg.Pool, cutoff: Date, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<PruneResult> {
  const batchSize = opts.batchSize ?? 10_000;
  const maxBatches = opts.maxBatches ?? 100;
  const result: PruneResult = { events: 0, tasks: 0, parameters: 0, batches: 0 };
  const utc = cutoff.toISOString().replace("T", " ").replace("Z", "");
  while (result.batches < maxBatches) {
    const client = await pool.connect();
    let deleted = 0;
    try {
      await client.query("BEGIN");
      const events = await client.query<{ task_id: number }>(DELETE_EVENTS, [utc, batchSize]);
      deleted = events.rowCount ?? 0;
      const taskIds = [...new Set(events.rows.map((r) => r.task_id))];
      if (taskIds.length > 0) {
        result.parameters += (await client.query(DELETE_PARAMETERS, [taskIds])).rowCount ?? 0;
        result.tasks += (await client.query(DELETE_TASKS, [taskIds])).rowCount ?? 0;
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    result.events += deleted;
    result.batches++;
    if (deleted < batchSize) break;
  }
  return result;
}

/** The cutoff for a retention in days, or null when history is kept for ever (0 or unset). */
export function retentionCutoff(retentionDays: number | null | undefined, now = Date.now()): Date | null {
  if (!retentionDays || retentionDays <= 0) return null;
  return new Date(now - retentionDays * 86_400_000);
}
