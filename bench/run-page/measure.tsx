// The run page at 2,000 tasks (issue 13: ≤ 300 ms server time). Starts an embedded PostgreSQL in
// a temporary folder, migrates it, writes one failed run whose root task needs 2,000 tasks (their
// edges, history rows, parameters and events, one failure) plus BACKGROUND other services' tasks
// with events in the same window sharing `day`, then times, in-process:
//   - getRunData (the page's presenter: closure, statuses as of the run and now, spans);
//   - rendering the page's component tree to HTML (react-dom/server), as the server does.
//
//   NODE_ENV=production node --import tsx bench/run-page/measure.tsx          # BENCH_TASKS=2000 BENCH_BACKGROUND=200000 ROUNDS=20
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { ActionDialogProvider } from "@/components/actions/action-dialog-client";
import { RunClient } from "@/components/run/run-client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { addMonths, ensureHistoryPartitions, monthOf } from "@/lib/db/history/history-partitions";
import { applyMigrations } from "@/lib/db/migrate";
import { createPool } from "@/lib/db/pool";
import { createLogger } from "@/lib/log/logger";
import { getRunData } from "@/lib/presenters/get-run-data";
import { freePort } from "@/lib/testing/free-port";

const TASKS = Number(process.env.BENCH_TASKS ?? 2000);
const BACKGROUND = Number(process.env.BENCH_BACKGROUND ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
// the history is partitioned by month: empty months before this one, as a year of history has them
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
const DAY = "2026-12-02";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-run-page-"));
fs.chmodSync(home, 0o755);
const pg = await startEmbeddedPostgres({ home, port: await freePort(), logger: createLogger("bench-pg", "warn"), database: "postgres" });
try {
  await applyMigrations(pg.url);
  const pool = createPool(pg.url, { max: 4, query_timeout: 0 }); // seeds run for longer than POOL_TIMEOUTS allows
  await ensureHistoryPartitions(pool, Array.from({ length: MONTHS }, (_, i) => addMonths(monthOf(new Date()), -1 - i)));
  const runId = await seed(pool);
  if (process.env.EXPLAIN) {
    const { explainRunTasks } = await import("@/lib/db/queries/select-run-tasks");
    console.log(await explainRunTasks(pool, "T0_big", Date.parse("2026-12-02T02:00:00Z"), Date.parse("2026-12-02T03:00:00Z")));
  }
  const presenter: number[] = [];
  const render: number[] = [];
  let html = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const data = (await getRunData(pool, runId))!;
    const t1 = performance.now();
    const client = new QueryClient();
    html = renderToString(
      <QueryClientProvider client={client}>
        <ActionDialogProvider>
          <RunClient initialData={JSON.parse(JSON.stringify(data))} canAct />
        </ActionDialogProvider>
      </QueryClientProvider>,
    ).length;
    const t2 = performance.now();
    presenter.push(t1 - t0);
    render.push(t2 - t1);
    if (i === 0) console.log(`run ${runId}: ${data.tasks.length} tasks, ${data.failures.length} failed, ${data.tasks.filter((t) => t.spans.length).length} timeline rows`);
  }
  const total = presenter.map((p, i) => p + render[i]);
  console.log(`tasks=${TASKS} background tasks=${BACKGROUND} rounds=${ROUNDS} html=${(html / 1024).toFixed(0)} KiB`);
  for (const [name, xs] of [["getRunData", presenter], ["render to HTML", render], ["server total", total]] as const) console.log(`${name.padEnd(16)} p50 ${pct(xs, 50)} ms  p95 ${pct(xs, 95)} ms`);
  await pool.end();
} finally {
  await pg.stop();
  fs.rmSync(home, { recursive: true, force: true });
}

function pct(xs: number[], p: number): string {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(1);
}

/** One run of TASKS tasks (root → 20 groups → chains), all set-based SQL. */
async function seed(pool: ReturnType<typeof createPool>): Promise<number> {
  const svc = await pool.query<{ id: number }>(`INSERT INTO services (name, display_name, time_zone, daily_time, daily_command) VALUES ('big', 'big', 'UTC', '02:00', 'true') RETURNING id`);
  // task i (1..TASKS-1) depends on i+20 when that exists: 20 chains under the root
  await pool.query(
    `INSERT INTO tasks (id, task_id, name, host) SELECT i + 1, 'T' || i || '_big', CASE WHEN i = 0 THEN 'AllDaily' ELSE 'Step' || (i % 20) END, 'h' FROM generate_series(0, $1 - 1) i`,
    [TASKS],
  );
  await pool.query(`INSERT INTO task_parameters (task_id, name, value) SELECT id, n, v FROM tasks, (VALUES ('day', '${DAY}'), ('service', 'big')) p(n, v)`);
  await pool.query(
    `INSERT INTO task_dependencies (task_id, dep_task_id)
     SELECT 'T0_big', 'T' || i || '_big' FROM generate_series(1, 20) i
     UNION ALL SELECT 'T' || i || '_big', 'T' || (i + 20) || '_big' FROM generate_series(1, $1 - 21) i`,
    [TASKS],
  );
  // PENDING at 02:00, RUNNING and DONE spread over the hour; task 1999 fails, the root stays PENDING
  await pool.query(
    `INSERT INTO task_events (task_id, event_name, ts)
     SELECT id, e.name, '${DAY} 02:00:00'::timestamp + make_interval(secs => CASE e.name WHEN 'PENDING' THEN 1 WHEN 'RUNNING' THEN id ELSE id + 1 END)
       FROM tasks, LATERAL (VALUES ('PENDING'), ('RUNNING'), (CASE WHEN id = $1 THEN 'FAILED' ELSE 'DONE' END)) e(name)
      WHERE id > 1 OR e.name = 'PENDING'`,
    [TASKS],
  );
  await pool.query(`INSERT INTO task_failures (task_id, ts, explanation) VALUES ('T${TASKS - 1}_big', '${DAY} 02:00:00'::timestamp + make_interval(secs => ${TASKS + 1}), $1)`, [
    JSON.stringify("Traceback (most recent call last):\n  File \"step.py\", line 3\nValueError: bad row"),
  ]);
  // other services' tasks in the same window, sharing `day`, with edges of their own
  await pool.query(`SELECT setval('tasks_id_seq', $1)`, [TASKS + 1]);
  await pool.query(`INSERT INTO tasks (task_id, name, host) SELECT 'Other' || i, 'Other', 'h' FROM generate_series(1, $1) i`, [BACKGROUND]);
  await pool.query(`INSERT INTO task_parameters (task_id, name, value) SELECT id, 'day', '${DAY}' FROM tasks WHERE name = 'Other'`);
  await pool.query(`INSERT INTO task_events (task_id, event_name, ts) SELECT id, 'DONE', '${DAY} 02:30:00' FROM tasks WHERE name = 'Other'`);
  await pool.query(`INSERT INTO task_dependencies (task_id, dep_task_id) SELECT 'Other' || i, 'Other' || (i + 1) FROM generate_series(1, $1 - 1) i`, [BACKGROUND]);
  await pool.query("ANALYZE");
  const run = await pool.query<{ id: string }>(
    `INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, queued_at, not_before, started_at, last_update_at, finished_at, root_task_id, error)
     VALUES ($1, 'daily', '${DAY}T00:00:00Z', '${DAY}', 1, 'scheduled', 'failed', '${DAY}T02:00:00Z', '${DAY}T02:00:00Z', '${DAY}T02:00:00Z', '${DAY}T03:00:00Z', '${DAY}T03:00:00Z', 'T0_big', 'the process exited with code 30 but root task T0_big is PENDING')
     RETURNING id`,
    [svc.rows[0].id],
  );
  return Number(run.rows[0].id);
}
