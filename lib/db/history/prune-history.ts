import type pg from "pg";
import { addMonths, ensureHistoryPartitions, HISTORY_TABLES, listHistoryMonths, type Month, monthOf } from "@/lib/db/history/history-partitions";

// Retention for Luigi's task history (`[task_history] retention_days`) by whole months: every
// month that ended before the cutoff is detached and dropped in the four partitioned history tables
// (history-partitions.ts), a catalogue change whose cost does not depend on how many rows are
// kept, nor on how many are dropped. Luigi's tasks table (one row per task, a fifth of the rows)
// is plain, so luigid's readers work: its rows of the month are deleted in batches, a cost that
// follows the rows dropped, never the rows kept. A month the cutoff falls in is kept whole until it has
// entirely passed, so history is kept for between retention_days and retention_days plus one
// month: cheaper and simpler than a bounded DELETE of the partial month, and never less than asked.
//
// A task row lives in the month of its first event (tasks.history_month), its events in the months
// they happened. Before a month goes, the task rows still in use are moved to the next month with
// their parameters (to the next month that has a partition), so newer events keep their task: rows the scheduler still holds
// (scheduler_tasks.history_id, it appends to them) and rows with an event in the first CARRY_DAYS
// days of the next month (a task that ran across the month's end). Both sets are bounded by the
// scheduler's state and by a few days of events, never by the history kept.
//
// Rows in the DEFAULT partitions (timestamps outside every month partition) older than the cutoff
// month are deleted with a plain DELETE: those partitions only hold strays.

export type PruneResult = { months: Month[]; carried: number; strays: number };

const CARRY_DAYS = 7;

const CARRY_SQL = `
WITH keep AS (
  SELECT history_id AS id FROM scheduler_tasks WHERE history_id IS NOT NULL
  UNION
  SELECT task_id FROM task_events WHERE ts >= $3::timestamp AND ts < $3::timestamp + make_interval(days => $4) AND task_id IS NOT NULL
), moved AS (
  UPDATE tasks SET history_month = $2::date WHERE history_month = $1::date AND id IN (SELECT id FROM keep) RETURNING id
), params AS (
  UPDATE task_parameters SET history_month = $2::date WHERE history_month = $1::date AND task_id IN (SELECT id FROM moved)
)
SELECT count(*)::int AS carried FROM moved`;

/** Drops every month of history that ended before `cutoff` (history timestamps are local, see history-partitions.ts). */
export async function pruneHistory(pool: pg.Pool, cutoff: Date): Promise<PruneResult> {
  const firstKept = monthOf(cutoff);
  // the month rows are carried into at the latest must exist, or they would land in DEFAULT and go as strays
  await ensureHistoryPartitions(pool, [firstKept]);
  const existing = await listHistoryMonths(pool);
  const expired = [...new Set([...existing.values()].flat())].filter((m) => m < firstKept).sort();
  const result: PruneResult = { months: [], carried: 0, strays: 0 };
  for (const month of expired) {
    const target = existing.get("task_parameters")!.find((m) => m > month)!;
    const carried = await pool.query<{ carried: number }>(CARRY_SQL, [month, target, addMonths(month, 1), CARRY_DAYS]);
    result.carried += carried.rows[0].carried;
    // One table per transaction: DETACH locks its parent table exclusively, and a reader (one
    // query over several history tables) holding one parent while waiting for another would
    // deadlock with a transaction that detached from two. A month half-dropped by a failure is
    // still listed, and the next pass finishes it.
    for (const { table } of HISTORY_TABLES) {
      if (existing.get(table)!.includes(month)) await pool.query("SELECT switchyard_history_drop_partition($1, $2::date)", [table, month]);
    }
    // Luigi's tasks table is not partitioned (luigid's readers need its key on id alone): the
    // month's rows go in short batches through ix_tasks_history_month, after their parameters
    await deleteTaskRows(pool, `history_month = $1::date`, [month]);
    result.months.push(month);
  }
  // task rows of months that had no partition (their parameters were strays in DEFAULT)
  result.strays += await deleteTaskRows(pool, `history_month < $1::date`, [firstKept]);
  // through the parent: every month partition before firstKept is gone, so only DEFAULT is scanned
  for (const { table, key } of HISTORY_TABLES) {
    const r = await pool.query(`DELETE FROM ${table} WHERE ${key} < $1::date`, [firstKept]);
    result.strays += r.rowCount ?? 0;
  }
  return result;
}

const TASK_ROWS_PER_BATCH = 10_000;

/** Deletes the task rows that match, TASK_ROWS_PER_BATCH per statement (each its own short transaction). */
async function deleteTaskRows(pool: pg.Pool, where: string, values: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await pool.query(`DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE ${where} LIMIT ${TASK_ROWS_PER_BATCH})`, values);
    total += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < TASK_ROWS_PER_BATCH) return total;
  }
}

/** The cutoff for a retention in days, or null when history is kept for ever (0 or unset). */
export function retentionCutoff(retentionDays: number | null | undefined, now = Date.now()): Date | null {
  if (!retentionDays || retentionDays <= 0) return null;
  return new Date(now - retentionDays * 86_400_000);
}

