// The home page with and without open incidents (issue 11: the badge and the grid's marks): its
// HTML size and server time on the generated history, so the marks are seen not to grow the page
// past 500 KiB. The incidents it opens (one per service on a day of the week) are removed again.
//
//   node --import tsx bench/dashboard/home-incidents.ts [--requests 20]
import { parseArgs } from "node:util";
import { openBenchDatabase } from "./postgres";
import { summarize } from "./stats";
import { startBenchWeb } from "./web";

const { values: args } = parseArgs({ options: { requests: { type: "string", default: "20" }, marked: { type: "string", default: "200" } } });
const { pool, url: dbUrl, stop } = await openBenchDatabase();
const web = await startBenchWeb(pool, dbUrl).catch(async (error: Error) => {
  await stop();
  throw error;
});
const { base, cookie } = web;
try {
  console.log("| home page | open incidents | p50 ms | p95 ms | size KiB |\n|---|---:|---:|---:|---:|");
  await measure(cookie, "as generated");
  await pool.query(
    `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, summary, opened_at)
     SELECT 'bench-home:' || id, 'run_failed', 'critical', id, 'daily', current_date - 2, current_date - 2, 'bench', now()
       FROM services ORDER BY id LIMIT $1`,
    [Number(args.marked)],
  );
  await measure(cookie, `${args.marked} marked cells`);
} finally {
  await pool.query("DELETE FROM alert_incidents WHERE key LIKE 'bench-home:%'");
  await web.stop();
  await stop();
}

async function measure(cookie: string, label: string) {
  const open = (await pool.query("SELECT count(*)::int AS n FROM alert_incidents WHERE status = 'open'")).rows[0].n;
  const times: number[] = [];
  let size = 0;
  let html = "";
  for (let n = 0; n < Number(args.requests) + 3; n++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/`, { headers: { cookie }, redirect: "manual" });
    html = await res.text();
    if (res.status !== 200) throw new Error(`/: HTTP ${res.status}`);
    if (n >= 3) times.push(performance.now() - t0);
    size = Buffer.byteLength(html);
  }
  const s = summarize(times);
  const marks = (html.match(/ data-i>/g) ?? []).length;
  console.log(`| ${label} (${marks} marks in the HTML) | ${open} | ${s.p50} | ${s.p95} | ${(size / 1024).toFixed(0)} |`);
}
