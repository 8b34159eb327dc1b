// How long the home page (the 1,000-row weekly grid and everything around it) takes to become
// interactive in Chromium, and how long its server render takes, on the generated history.
//
//   node --import tsx bench/dashboard/render.ts [--loads 10] [--screenshot bench/results/home.png]
//
// Pages need a signed-in user, which the app cannot have yet; so the harness renders the page's
// own component tree (components/home, unchanged) with React's server renderer, serves that HTML
// with the read model inline and a client bundle that hydrates it, like Next does. esbuild
// replaces next/link, next/navigation and next/dynamic with small stand-ins; the CSS is the app's
// Tailwind build. "Interactive" is the moment an ArrowDown on the first cell moves the focus a row
// down (probed every frame from the page itself), measured from navigation start.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import postcss from "postcss";
import tailwind from "@tailwindcss/postcss";
import { chromium } from "playwright-core";
import type { HomeData } from "@/lib/presenters/get-home-data";
import { getHomeData } from "@/lib/presenters/get-home-data";
import { getHostsData } from "@/lib/presenters/get-hosts-data";
import { openBenchDatabase } from "./postgres";
import { GRID_KEYS_SCRIPT } from "@/components/grid/grid-keys";
import { PROBE } from "./probe";
import { summarize } from "./stats";

const { values: args } = parseArgs({ options: { loads: { type: "string", default: "10" }, screenshot: { type: "string" }, dark: { type: "boolean", default: false } } });
const root = path.resolve(import.meta.dirname, "../..");
const harness = path.join(import.meta.dirname, "harness");
// inside the checkout (bench/results is git-ignored) so the server bundle resolves node_modules
fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
const out = fs.mkdtempSync(path.join(root, "bench/results/render-"));

const stubs = {
  "next/link": path.join(harness, "next-link-stub.tsx"),
  "next/navigation": path.join(harness, "next-navigation-stub.ts"),
  "next/dynamic": path.join(harness, "next-dynamic-stub.tsx"),
};
const common = { bundle: true, alias: stubs, jsx: "automatic" as const, define: { "process.env.NODE_ENV": '"production"' }, logLevel: "error" as const, tsconfig: path.join(root, "tsconfig.json") };

async function bundles() {
  await build({ ...common, entryPoints: [path.join(harness, "home-browser.tsx")], outdir: path.join(out, "client"), format: "esm", splitting: true, minify: true, platform: "browser" });
  await build({ ...common, entryPoints: [path.join(harness, "home-ssr.tsx")], outfile: path.join(out, "ssr.mjs"), format: "esm", platform: "node", packages: "external" });
  const css = await postcss([tailwind({ base: root })]).process(fs.readFileSync(path.join(root, "app/globals.css"), "utf8"), { from: path.join(root, "app/globals.css") });
  fs.writeFileSync(path.join(out, "client", "app.css"), css.css);
  const sizes = fs.readdirSync(path.join(out, "client")).map((f) => `${f} ${(fs.statSync(path.join(out, "client", f)).size / 1024).toFixed(0)} KiB`);
  console.log(`client files: ${sizes.join(", ")}`);
}

function page(html: string, data: HomeData, dark: boolean): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="en"${dark ? ' class="dark"' : ""}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="stylesheet" href="/client/app.css"><script>${PROBE}</script><script>${GRID_KEYS_SCRIPT}</script></head>
<body class="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100"><div id="root">${html}</div>
<script id="home-data" type="application/json">${json}</script><script type="module" src="/client/home-browser.js"></script></body></html>`;
}

const db = await openBenchDatabase();
const data = await getHomeData(db.pool);
const hosts = await getHostsData(db.pool);
// BENCH_ROWS=n keeps n grid rows: the page's cost without (most of) the grid, for comparison
if (process.env.BENCH_ROWS) data.grid.rows = data.grid.rows.slice(0, Number(process.env.BENCH_ROWS));
await db.stop();
await bundles();
const { renderHome } = (await import(path.join(out, "ssr.mjs"))) as { renderHome: (d: HomeData) => string };

const ssrTimes: number[] = [];
let html = "";
for (let n = 0; n < 13; n++) {
  const t0 = performance.now();
  html = renderHome(data);
  if (n >= 3) ssrTimes.push(performance.now() - t0);
}
const document = page(html, data, args.dark!);
console.log(`rows in the grid: ${data.grid.rows.length}; HTML ${(document.length / 1024).toFixed(0)} KiB (read model ${(JSON.stringify(data).length / 1024).toFixed(0)} KiB)`);

// A real HTTP server (Playwright's request interception would add its own transfer cost).
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://bench.local");
  const send = (type: string, body: string | Buffer, status = 200) => res.writeHead(status, { "content-type": type }).end(body);
  if (url.pathname === "/") return send("text/html; charset=utf-8", document);
  if (url.pathname === "/api/v1/dashboard/home") return send("application/json", JSON.stringify(data));
  if (url.pathname === "/api/v1/dashboard/hosts") return send("application/json", JSON.stringify(hosts));
  const file = path.join(out, url.pathname);
  if (url.pathname.startsWith("/client/") && fs.existsSync(file)) return send(file.endsWith(".css") ? "text/css" : "text/javascript", fs.readFileSync(file));
  send("application/json", '{"error":{"code":"not_found","message":"not in the harness"}}', 404);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const interactive: number[] = [];
const dcl: number[] = [];
const parsed: number[] = [];
const scriptStart: number[] = [];
const hydrated: number[] = [];
try {
  // One tab, reloaded: like an operator's browser (a fresh context per load would also time
  // Chromium starting a renderer process, which says nothing about the page).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  tab.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  for (let n = 0; n < Number(args.loads) + 1; n++) {
    const tracing = process.env.BENCH_TRACE && n === 1;
    if (tracing) await browser.startTracing(tab, { path: process.env.BENCH_TRACE, categories: ["devtools.timeline", "blink.user_timing", "v8.execute"] });
    await tab.goto(`${origin}/?load=${n}`);
    await tab.waitForFunction(() => (window as unknown as { __bench: { interactive?: number } }).__bench.interactive !== undefined, null, { timeout: 30_000 });
    // a string, not a function: tsx's transform would wrap inner functions in a helper the page lacks
    const m = (await tab.evaluate(`(() => {
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      const nav = performance.getEntriesByType("navigation")[0];
      return { ...window.__bench, domInteractive: nav.domInteractive, scriptStart: mark("script-start"), hydrated: mark("hydrated") };
    })()`)) as { interactive: number; dcl: number; domInteractive: number; scriptStart: number; hydrated: number };
    if (process.env.BENCH_VERBOSE) console.error(JSON.stringify(m));
    if (tracing) await browser.stopTracing();
    if (n > 0) {
      // the first load warms Chromium's own caches; it is not counted
      interactive.push(m.interactive);
      dcl.push(m.dcl);
      parsed.push(m.domInteractive);
      scriptStart.push(m.scriptStart);
      hydrated.push(m.hydrated);
    }
    if (args.screenshot && n === Number(args.loads)) {
      await tab.waitForTimeout(1500);
      fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
      await tab.screenshot({ path: args.screenshot, fullPage: false });
    }
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
  fs.rmSync(out, { recursive: true, force: true });
}

const row = (name: string, t: number[]) => {
  const s = summarize(t);
  return `| ${name} | ${s.p50} | ${s.p95} | ${s.max} | ${s.n} |`;
};
console.log("| measure | p50 ms | p95 ms | max ms | n |\n|---|---:|---:|---:|---:|");
console.log(row("server render of the home page tree (renderToString)", ssrTimes));
console.log(row("Chromium: HTML parsed (domInteractive)", parsed));
console.log(row("Chromium: client script starts", scriptStart));
console.log(row("Chromium: DOMContentLoaded", dcl));
console.log(row("Chromium: hydration committed", hydrated));
console.log(row("Chromium: weekly grid interactive (ArrowDown moves focus)", interactive));
