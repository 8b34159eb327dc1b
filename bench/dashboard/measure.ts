// Times the dashboard's presenters and hot queries on the generated history (generate.ts first).
//
//   node --import tsx bench/dashboard/measure.ts [--iterations 50] [--explain]
//
// Each case runs a few warm-up rounds, then `iterations` times one after another; p50/p95/max
// are wall-clock times in this process (query + transfer + shaping the read model), printed
// as a Markdown table for bench/README.md.
import { parseArgs } from "node:util";
import { selectDailyGrid } from "@/lib/db/queries/select-daily-grid";
import { getAuditData } from "@/lib/presenters/get-audit-data";
import { getDailyDayData } from "@/lib/presenters/get-daily-day-data";
import { getDailyListData } from "@/lib/presenters/get-daily-list-data";
import { getHomeData } from "@/lib/presenters/get-home-data";
import { getHourlyData } from "@/lib/presenters/get-hourly-data";
import { getPulseData } from "@/lib/presenters/get-pulse-data";
import { getRunData } from "@/lib/presenters/get-run-data";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { getServicesData } from "@/lib/presenters/get-services-data";
import { getTasksData } from "@/lib/presenters/get-tasks-data";
import { getTrendsData } from "@/lib/presenters/get-trends-data";
import { auditInput, tasksInput } from "@/lib/presenters/inputs";
import { addDays } from "@/lib/presenters/period-status";
import { openBenchDatabase } from "./postgres";
import { summarize, type Summary } from "./stats";

const { values: args } = parseArgs({ options: { iterations: { type: "string", default: "50" }, explain: { type: "boolean", default: false }, only: { type: "string" } } });
const iterations = Number(args.iterations);
const { pool, stop } = await openBenchDatabase();

const facts = await pool.query<{ services: number; runs: number; events: number; today: string; names: string[]; run_ids: number[] }>(`
  SELECT (SELECT count(*) FROM services)::int AS services, (SELECT count(*) FROM runs)::int AS runs,
         (SELECT reltuples::bigint FROM pg_class WHERE relname = 'task_events')::int AS events, current_date::text AS today,
         (SELECT array_agg(name ORDER BY random()) FROM (SELECT name FROM services LIMIT 200) s) AS names,
         (SELECT array_agg(id) FROM (SELECT id FROM runs WHERE kind = 'daily' AND status IN ('done', 'failed') ORDER BY random() LIMIT 200) r) AS run_ids`);
const f = facts.rows[0];
console.log(`history: ${f.services} services, ${f.runs} runs, ~${f.events} task events; ${iterations} iterations per case\n`);

let i = 0;
const pick = <T>(xs: T[]) => xs[i++ % xs.length];
const today = f.today;

const cases: Array<[string, () => Promise<unknown>]> = [
  ["weekly grid query (every service × 7 days)", () => selectDailyGrid(pool, addDays(today, -6), today)],
  ["home page presenter", () => getHomeData(pool)],
  ["service page presenter (90 days)", () => getServiceData(pool, pick(f.names))],
  ["day page presenter (every service, one day)", () => getDailyDayData(pool, addDays(today, -1))],
  ["days list presenter (14 days)", () => getDailyListData(pool)],
  ["hourly page presenter (one day)", () => getHourlyData(pool, addDays(today, -1))],
  ["services list presenter (with 90-day failure sparklines)", () => getServicesData(pool)],
  ["trends page presenter, last day", () => getTrendsData(pool, "day")],
  ["trends page presenter, last week", () => getTrendsData(pool, "week")],
  ["run page presenter (a daily run, its tasks)", () => getRunData(pool, pick(f.run_ids))],
  ["tasks search: family + 2 parameter values", () => getTasksData(pool, tasksInput.parse({ family: "Extract", param: `service_id=${1 + (i++ % 1000)}\nday=${addDays(today, -3)}` }))],
  ["tasks search: family + status FAILED", () => getTasksData(pool, tasksInput.parse({ family: "Transform", status: "FAILED" }))],
  ["audit page (newest 100)", () => getAuditData(pool, auditInput.parse({}))],
  ["pulse (live pages' change probe)", () => getPulseData(pool)],
];

const results: Array<[string, Summary]> = [];
// --only "trends|services": the cases whose name matches, to measure one change quickly
const only = args.only ? new RegExp(args.only, "i") : null;
for (const [name, fn] of cases) {
  if (only && !only.test(name)) continue;
  for (let w = 0; w < 3; w++) await fn();
  const times: number[] = [];
  for (let n = 0; n < iterations; n++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const s = summarize(times);
  results.push([name, s]);
  console.error(`${name}: p50 ${s.p50} ms, p95 ${s.p95} ms`);
}

console.log("| case | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|");
for (const [name, s] of results) console.log(`| ${name} | ${s.p50} | ${s.p95} | ${s.max} |`);

if (args.explain) {
  const plan = await pool.query(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
     SELECT DISTINCT ON (r.period_date, r.service_id) r.service_id, r.period_date::text AS period_date, r.status, r.id
       FROM runs r WHERE r.kind = 'daily' AND r.period_date BETWEEN $1::date AND $2::date
      ORDER BY r.period_date, r.service_id, r.id DESC`,
    [addDays(today, -6), today],
  );
  console.log("\n```\n" + plan.rows.map((r) => r["QUERY PLAN"]).join("\n") + "\n```");
}
await stop();
