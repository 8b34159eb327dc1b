import type pg from "pg";

// Distinct task families for the search form, by a loose index scan of ix_tasks_name: one index
// probe per family instead of reading millions of task rows.

const SQL = `
WITH RECURSIVE f AS (
  (SELECT name FROM tasks WHERE name IS NOT NULL ORDER BY name LIMIT 1)
  UNION ALL
  SELECT (SELECT t.name FROM tasks t WHERE t.name > f.name ORDER BY t.name LIMIT 1) FROM f WHERE f.name IS NOT NULL
)
SELECT name FROM f WHERE name IS NOT NULL LIMIT 1000`;

export async function selectTaskFamilies(pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ name: string }>(SQL);
  return r.rows.map((row) => row.name);
}
