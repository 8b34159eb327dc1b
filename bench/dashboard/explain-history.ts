// The plans of the dashboard's reads of the partitioned history (docs/QUERY-PLANS.md), on the
// generated bench database: run page, external runs, the home page's active runs, task search.
// Each statement runs twice first (warm cache), then EXPLAIN (ANALYZE, BUFFERS, COSTS OFF).
//
//   node --import tsx bench/dashboard/explain-history.ts [--only run-page]
import { parseArgs } from "node:util";
import { explainRunTasks } from "@/lib/db/queries/select-run-tasks";
import { buildTaskSearch } from "@/lib/db/queries/search-tasks";
import { openBenchDatabase } from "./postgres";

const { values: args } = parseArgs({ options: { only: { type: "string" } } });
const { pool, stop } = await openBenchDatabase();

const run = (
  await pool.query<{ root_task_id: string; started_at: Date; finished_at: Date }>(
    "SELECT root_task_id, started_at, finished_at FROM runs WHERE kind = 'daily' AND status = 'failed' AND root_task_id IS NOT NULL ORDER BY id DESC LIMIT 1",
  )
).rows[0];
const oldRun = (
  await pool.query<{ root_task_id: string }>("SELECT root_task_id FROM runs WHERE kind = 'daily' AND root_task_id IS NOT NULL ORDER BY period_date, id LIMIT 1")
).rows[0];
const cursor = (await pool.query<{ c: number }>("SELECT max(id) - 2000 AS c FROM task_events")).rows[0].c;

async function explain(label: string, text: string, values: unknown[]) {
  for (let i = 0; i < 2; i++) await pool.query(text, values);
  const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
  console.log(`\n-- ${label}\n${r.rows.map((row) => row["QUERY PLAN"]).join("\n")}`);
}

const cases: Record<string, () => Promise<void>> = {
  "run-page": async () => {
    for (let i = 0; i < 2; i++) await explainRunTasks(pool, run.root_task_id, run.started_at.getTime(), run.finished_at.getTime());
    console.log(`\n-- run page: the tasks of ${run.root_task_id}\n${await explainRunTasks(pool, run.root_task_id, run.started_at.getTime(), run.finished_at.getTime())}`);
  },
  "external-runs": () =>
    explain(
      "external runs: new root-task events after a cursor",
      `SELECT e.id, e.event_name, t.task_id, t.name, t.host,
              (SELECT json_object_agg(p.name, p.value) FROM task_parameters p WHERE p.task_id = t.id AND p.history_month = t.history_month) AS params
         FROM (SELECT id, task_id, event_name, ts FROM task_events WHERE id > $1 ORDER BY id LIMIT 5000) e
         JOIN tasks t ON t.id = e.task_id AND t.name = ANY($2::text[])
        WHERE e.event_name IN ('PENDING', 'RUNNING') ORDER BY e.id`,
      [cursor, ["AllDailyTask", "AllHourlyTask"]],
    ),
  "external-cursor": () =>
    explain("external runs: where a runner starts reading", "SELECT id - 1 FROM task_events WHERE ts >= localtimestamp - make_interval(hours => $1) ORDER BY ts LIMIT 1", [6]),
  "active-run-root": () =>
    explain(
      "home page: an active run's root task and its parameters (an old run's, the worst case)",
      `SELECT t.name, (SELECT json_object_agg(tp.name, tp.value ORDER BY tp.name) FROM task_parameters tp WHERE tp.task_id = t.id AND tp.history_month = t.history_month) AS params
         FROM tasks t WHERE t.task_id = $1 ORDER BY t.id DESC LIMIT 1`,
      [oldRun.root_task_id],
    ),
  "task-search": async () => {
    const q = buildTaskSearch({ family: "Extract", params: [{ name: "shard", value: "3" }, { name: "day", value: "2026-06-01" }] });
    await explain("task search: family + 2 parameter values", q.text, q.values);
  },
};

for (const [name, fn] of Object.entries(cases)) if (!args.only || args.only === name) await fn();
await stop();
