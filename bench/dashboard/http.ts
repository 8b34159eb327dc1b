// Server time of the real dashboard, and the home page's weekly grid becoming interactive in Chromium: the production build served by `switchyard web` on the
// generated history (generate.ts first, `npx next build` before), signed in through better-auth
// like a browser. Times are from request sent to the last byte of the answer, on one connection
// at a time, so they are what one operator waits for the server, not throughput.
//
//   node --import tsx bench/dashboard/http.ts [--requests 30] [--loads 10] [--browser-only]
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { HOME_READ_MAX_AGE_MS } from "@/lib/presenters/get-home-data";
import { openBenchDatabase } from "./postgres";
import { benchDone, PROBE } from "./probe";
import { summarize } from "./stats";
import { startBenchWeb, type BenchWeb } from "./web";

const { values: args } = parseArgs({ options: { requests: { type: "string", default: "30" }, loads: { type: "string", default: "10" }, "browser-only": { type: "boolean", default: false } } });
const requests = Number(args.requests);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sharesHomeRead = (url: string) => url === "/" || url === "/api/v1/dashboard/home";
const { pool, url: dbUrl, stop } = await openBenchDatabase();
const facts = await pool.query<{ name: string; run_id: string }>(
  "SELECT (SELECT name FROM services ORDER BY id LIMIT 1 OFFSET 500) AS name, (SELECT max(id) FROM runs WHERE kind = 'daily' AND status = 'failed') AS run_id",
);
const { name, run_id: runId } = facts.rows[0];

const web = await startBenchWeb(pool, dbUrl).catch(async (error: Error) => {
  await stop();
  throw error;
});
const { base, cookie } = web;
try {
  const today = new Date().toISOString().slice(0, 10);
  const cases: Array<[string, string]> = [
    ["home page (HTML, 1,000-row weekly grid)", "/"],
    ["home read model (JSON, what the page polls)", "/api/v1/dashboard/home"],
    ["service page, 90 days (HTML)", `/services/${name}`],
    ["day page, every service (HTML)", `/daily/${today}`],
    ["run page (HTML)", `/runs/${runId}`],
    ["services list (HTML)", "/services"],
  ];
  console.log(`history from the bench database; ${requests} requests per case after 3 warm-ups\n`);
  console.log("| request | p50 ms | p95 ms | max ms | size KiB |\n|---|---:|---:|---:|---:|");
  for (const [label, url] of args["browser-only"] ? [] : cases) {
    const times: number[] = [];
    let size = 0;
    for (let n = 0; n < requests + 3; n++) {
      // the home read model is shared for HOME_READ_MAX_AGE_MS (lib/presenters/shared-read.ts): each timed request computes it afresh
      if (sharesHomeRead(url)) await sleep(HOME_READ_MAX_AGE_MS + 100);
      const t0 = performance.now();
      const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: "manual" });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
      if (n >= 3) times.push(performance.now() - t0);
      size = body.byteLength;
    }
    const s = summarize(times);
    console.log(`| ${label} | ${s.p50} | ${s.p95} | ${s.max} | ${(size / 1024).toFixed(0)} |`);
  }
  if (!args["browser-only"]) {
    // what a browser's page load asks of the server: the HTML, then at once the whole read model
    const times: number[] = [];
    for (let n = 0; n < requests + 3; n++) {
      await sleep(HOME_READ_MAX_AGE_MS + 100);
      const t0 = performance.now();
      for (const url of ["/", "/api/v1/dashboard/home"]) {
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
      }
      if (n >= 3) times.push(performance.now() - t0);
    }
    const s = summarize(times);
    console.log(`| home page load: HTML, then the read-model fetch that follows it | ${s.p50} | ${s.p95} | ${s.max} | |`);
  }
  await measureBrowser(base, web.browserCookies());
} finally {
  await web.stop();
  await stop();
}

/** The real home page in Chromium, one tab reloaded `loads` times (the first load only warms caches). */
async function measureBrowser(base: string, cookies: ReturnType<BenchWeb["browserCookies"]>) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    await context.addInitScript(PROBE);
    const tab = await context.newPage();
    const interactive: number[] = [];
    const loaded: number[] = [];
    const lastByte: number[] = [];
    const hydrated: number[] = [];
    for (let n = 0; n < Number(args.loads) + 1; n++) {
      await sleep(HOME_READ_MAX_AGE_MS + 100); // no load served by the previous one's read model
      await tab.goto(`${base}/`);
      await tab.waitForFunction(benchDone, null, { timeout: 30_000 });
      const m = (await tab.evaluate("({ interactive: window.__bench.interactive, dcl: window.__bench.dcl, hydrated: window.__bench.hydrated, end: performance.getEntriesByType('navigation')[0].responseEnd })")) as Record<string, number>;
      if (n > 0) {
        interactive.push(m.interactive);
        loaded.push(m.dcl);
        lastByte.push(m.end);
        hydrated.push(m.hydrated);
      }
    }
    const row = (label: string, t: number[]) => {
      const s = summarize(t);
      return `| ${label} | ${s.p50} | ${s.p95} | ${s.max} | ${s.n} |`;
    };
    console.log("\n| Chromium, the real home page (1,000 services) | p50 ms | p95 ms | max ms | loads |\n|---|---:|---:|---:|---:|");
    console.log(row("HTML's last byte (responseEnd)", lastByte));
    console.log(row("DOMContentLoaded", loaded));
    console.log(row("weekly grid interactive (ArrowDown moves focus), from navigation start", interactive));
    console.log(row("hydrated (every row in the grid; a frame's precision)", hydrated));
  } finally {
    await browser.close();
  }
}
