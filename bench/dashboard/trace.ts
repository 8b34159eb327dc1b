// Where the home page's main-thread time goes in Chromium, from navigation start until the weekly
// grid answers ArrowDown: a DevTools performance trace of the production build on the generated
// history (generate.ts, `npx next build` first), summed by what the renderer's main thread did
// (HTML parsing, script evaluation, event handlers and React's tasks, style, layout, paint).
//
//   node --import tsx bench/dashboard/trace.ts [--loads 3] [--path /] [--out /tmp/home-trace.json]
import fs from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { openBenchDatabase } from "./postgres";
import { benchDone, PROBE } from "./probe";
import { startBenchWeb } from "./web";

const { values: args } = parseArgs({ options: { loads: { type: "string", default: "3" }, path: { type: "string", default: "/" }, out: { type: "string" } } });
type TraceEvent = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> };

const { pool, url: dbUrl, stop } = await openBenchDatabase();
const web = await startBenchWeb(pool, dbUrl).catch(async (error: Error) => {
  await stop();
  throw error;
});
const base = web.base;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(web.browserCookies());
  await context.addInitScript(PROBE);
  const tab = await context.newPage();
  await tab.goto(`${base}${args.path}`); // warm the server and the HTTP cache
  for (let n = 0; n < Number(args.loads); n++) {
    await browser.startTracing(tab, { categories: ["devtools.timeline", "v8.execute", "blink.user_timing", "loading"] });
    await tab.goto(`${base}${args.path}`);
    await tab.waitForFunction(benchDone, null, { timeout: 30_000 });
    const marks = (await tab.evaluate("({ ...window.__bench, timeOrigin: performance.timeOrigin })")) as Record<string, number>;
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    if (args.out) fs.writeFileSync(args.out, JSON.stringify(trace));
    summarize(trace.traceEvents, marks);
  }
} finally {
  await browser.close();
  await web.stop();
  await stop();
}

/** Top-level work on the renderer's main thread until the grid answered, by kind, in ms. */
function summarize(events: TraceEvent[], marks: Record<string, number>) {
  const nav = events.find((e) => e.name === "navigationStart" && (e.args?.data as { isLoadingMainFrame?: boolean } | undefined)?.isLoadingMainFrame);
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain" && e.pid === nav?.pid);
  if (!nav || !main) throw new Error("no navigation or renderer main thread in the trace");
  const end = nav.ts + marks.interactive * 1000;
  const kinds = ["ParseHTML", "EvaluateScript", "v8.compile", "v8.compileModule", "FunctionCall", "EventDispatch", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "ParseAuthorStyleSheet", "HitTest"];
  const total = new Map<string, number>();
  let busy = 0;
  for (const e of events) {
    if (e.tid !== main.tid || e.pid !== main.pid || e.ph !== "X" || !e.dur || e.ts < nav.ts || e.ts > end) continue;
    if (e.name === "RunTask") busy += e.dur;
    else if (kinds.includes(e.name)) total.set(e.name, (total.get(e.name) ?? 0) + e.dur);
  }
  const ms = (us: number) => (us / 1000).toFixed(0);
  const parts = [...total.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${ms(v)}`);
  console.log(`DCL ${marks.dcl.toFixed(0)} · hydrated ${marks.hydrated.toFixed(0)} · interactive ${marks.interactive.toFixed(0)} ms; main thread busy ${ms(busy)} ms: ${parts.join(", ")} (nested kinds overlap)`);
}
