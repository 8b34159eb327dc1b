import type pg from "pg";

/** Journal rows no checkpoint has written yet: those after the mark's `checkpointed` (store/write.ts). */
export async function unwrittenJournalRows(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM scheduler_journal WHERE seq > COALESCE((SELECT (value->>'checkpointed')::int8 FROM scheduler_meta WHERE key = 'journal'), 0)",
  );
  return rows[0].n;
}
