import type pg from "pg";

// The history tables are partitioned by month (migration 20261205050000_history_partitions; Luigi's
// tasks table is plain again since 20261205080000): one
// partition per table and month, named <table>_YYYY_MM, and a <table>_default that takes any row
// no month partition covers (a clock far off, a luigid writing in a month not created yet), so an
// insert never fails. This file creates months ahead of time and lists them; dropping them is
// prune-history.ts. The DDL itself is in two functions of the migration. Months are the scheduler host's local months, the clock the history's
// timestamps are written in (store/write.ts localTimestamp).

/**
 * Each partitioned table and the column it is partitioned on. Luigi's `tasks` is a plain table
 * (migration 20261205080000: luigid's readers need its primary key on id alone); its rows carry
 * history_month, the month of their parameters, and retention deletes them (prune-history.ts).
 */
export const HISTORY_TABLES = [
  { table: "task_parameters", key: "history_month" },
  { table: "task_dependencies", key: "history_month" },
  { table: "task_events", key: "ts" },
  { table: "task_failures", key: "ts" },
] as const;
export type HistoryTable = (typeof HISTORY_TABLES)[number]["table"];

/** A month as its first day, "2026-12-01": also the literal that bounds its partitions. */
export type Month = string;
const MONTH = /^\d{4}-\d{2}-01$/;

/** The local month a time falls in. */
export function monthOf(d: Date): Month {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-01`;
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split("-").map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`;
}

export const partitionName = (table: HistoryTable, month: Month) => `${table}_${month.slice(0, 4)}_${month.slice(5, 7)}`;

/** The month partitions that exist, per table (the DEFAULT partitions are not listed). */
export async function listHistoryMonths(db: pg.Pool | pg.PoolClient): Promise<Map<HistoryTable, Month[]>> {
  const r = await db.query<{ parent: HistoryTable; bound: string }>(
    `SELECT p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_class c ON c.oid = i.inhrelid
      WHERE p.relnamespace = 'public'::regnamespace AND p.relname = ANY($1)`,
    [HISTORY_TABLES.map((t) => t.table)],
  );
  const months = new Map<HistoryTable, Month[]>(HISTORY_TABLES.map((t) => [t.table, []]));
  for (const row of r.rows) {
    // "FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')", or with a time for a timestamp key
    const from = /FROM \('(\d{4}-\d{2}-\d{2})/.exec(row.bound)?.[1];
    if (from && MONTH.test(from)) months.get(row.parent)!.push(from);
  }
  for (const list of months.values()) list.sort();
  return months;
}

/**
 * Creates the month partitions that are missing for these months, in every history table, one
 * table per transaction (switchyard_history_add_partition, migration 20261205050000: the app role
 * the scheduler connects as may not create tables itself). Rows of such a month that already went
 * to the DEFAULT partition move into the new one. Returns the partitions created.
 */
export async function ensureHistoryPartitions(pool: pg.Pool, months: Month[]): Promise<string[]> {
  const existing = await listHistoryMonths(pool);
  const created: string[] = [];
  for (const month of months) {
    if (!MONTH.test(month)) throw new Error(`not a month: ${month}`);
    for (const { table } of HISTORY_TABLES) {
      if (existing.get(table)!.includes(month)) continue;
      const r = await pool.query<{ made: boolean }>("SELECT switchyard_history_add_partition($1, $2::date) AS made", [table, month]);
      if (r.rows[0].made) created.push(partitionName(table, month));
    }
  }
  return created;
}

/** The months the active scheduler keeps ready: the current one and the next `ahead`. */
export function monthsAhead(now: Date, ahead = 2): Month[] {
  const current = monthOf(now);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(current, i));
}
