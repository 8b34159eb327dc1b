// Retention on the generated history (issue 14): drops the months older than --retention-days with
// the scheduler's own pruneHistory, while the home page and run page presenters keep reading in a
// loop, and reports how long the pass took and what the readers saw. DESTRUCTIVE: the dropped
// months are gone from the bench database (generate.ts writes them again).
//
//   node --import tsx bench/dashboard/prune.ts --retention-days 300
import { parseArgs } from "node:util";
import { listHistoryMonths } from "@/lib/db/history/history-partitions";
import { pruneHistory, retentionCutoff } from "@/lib/db/history/prune-history";
import { getHomeData } from "@/lib/presenters/get-home-data";
import { getRunData } from "@/lib/presenters/get-run-data";
import { openBenchDatabase } from "./postgres";
import { summarize } from "./stats";

const { values: args } = parseArgs({ options: { "retention-days": { type: "string", default: "300" } } });
const { pool, stop } = await openBenchDatabase();
const count = async () => Number((await pool.query("SELECT count(*) FROM task_events")).rows[0].count);
const runs = (await pool.query<{ id: number }>("SELECT id FROM runs WHERE kind = 'daily' AND status IN ('done', 'failed') ORDER BY id DESC LIMIT 50")).rows.map((r) => r.id);

const before = { events: await count(), months: (await listHistoryMonths(pool)).get("task_events")!.length };
const times: number[] = [];
const errors: string[] = [];
let reading = true;
const reader = (async () => {
  for (let i = 0; reading; i++) {
    const t0 = performance.now();
    await Promise.all([getHomeData(pool), getRunData(pool, runs[i % runs.length])]).then(
      () => times.push(performance.now() - t0),
      (error: Error) => errors.push(error.message),
    );
  }
})();
await new Promise((r) => setTimeout(r, 2000)); // readers before the pass, for comparison
const t0 = performance.now();
const result = await pruneHistory(pool, retentionCutoff(Number(args["retention-days"]))!).finally(() => (reading = false));
const took = performance.now() - t0;
await reader;
const after = { events: await count(), months: (await listHistoryMonths(pool)).get("task_events")!.length };

console.log(`retention ${args["retention-days"]} days: dropped ${result.months.join(", ") || "nothing"} in ${took.toFixed(0)} ms (${result.carried} task rows carried on, ${result.strays} strays)`);
console.log(`task_events: ${before.events} rows in ${before.months} months → ${after.events} rows in ${after.months} months`);
console.log(`home + run page presenters meanwhile: ${JSON.stringify(summarize(times))} ms, ${errors.length} errors ${errors.slice(0, 3).join("; ")}`);
await stop();
