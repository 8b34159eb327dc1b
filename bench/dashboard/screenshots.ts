// Screenshots of every dashboard page's components on the generated history, light and dark,
// desktop and phone, for reviewing the UI while pages still need a signed-in user.
//
//   node --import tsx bench/dashboard/screenshots.ts [--out bench/results/screens]
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import postcss from "postcss";
import tailwind from "@tailwindcss/postcss";
import { chromium } from "playwright-core";
import { getAuditData } from "@/lib/presenters/get-audit-data";
import { getDailyDayData } from "@/lib/presenters/get-daily-day-data";
import { getDailyListData } from "@/lib/presenters/get-daily-list-data";
import { getHomeData } from "@/lib/presenters/get-home-data";
import { getHostsData } from "@/lib/presenters/get-hosts-data";
import { getHourlyData } from "@/lib/presenters/get-hourly-data";
import { getRunData } from "@/lib/presenters/get-run-data";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { getServicesData } from "@/lib/presenters/get-services-data";
import { getTasksData } from "@/lib/presenters/get-tasks-data";
import { auditInput, tasksInput } from "@/lib/presenters/inputs";
import { addDays } from "@/lib/presenters/period-status";
import { openBenchDatabase } from "./postgres";

const { values: args } = parseArgs({ options: { out: { type: "string", default: "bench/results/screens" } } });
const root = path.resolve(import.meta.dirname, "../..");
const harness = path.join(import.meta.dirname, "harness");
const out = fs.mkdtempSync(path.join(root, "bench/results/shots-"));

const db = await openBenchDatabase();
const p = db.pool;
const today = new Date().toISOString().slice(0, 10);
const failed = await p.query<{ id: number; name: string }>(
  `SELECT r.id, s.name FROM runs r JOIN services s ON s.id = r.service_id WHERE r.kind = 'daily' AND r.status = 'failed' AND r.period_date = current_date - 2 LIMIT 1`,
);
const pages: Record<string, unknown> = {
  home: await getHomeData(p),
  daily: await getDailyListData(p),
  day: await getDailyDayData(p, addDays(today, -1)),
  hourly: await getHourlyData(p, addDays(today, -1)),
  services: await getServicesData(p),
  service: await getServiceData(p, failed.rows[0].name),
  run: await getRunData(p, failed.rows[0].id),
  tasks: await getTasksData(p, tasksInput.parse({ family: "Transform", status: "FAILED" })),
  audit: await getAuditData(p, auditInput.parse({})),
};
const hosts = await getHostsData(p);
await db.stop();

const stubs = {
  "next/link": path.join(harness, "next-link-stub.tsx"),
  "next/navigation": path.join(harness, "next-navigation-stub.ts"),
  "next/dynamic": path.join(harness, "next-dynamic-stub.tsx"),
};
await build({ entryPoints: [path.join(harness, "pages-browser.tsx")], outdir: out, bundle: true, splitting: true, format: "esm", minify: true, alias: stubs, jsx: "automatic", define: { "process.env.NODE_ENV": '"production"' }, logLevel: "error" });
const css = await postcss([tailwind({ base: root })]).process(fs.readFileSync(path.join(root, "app/globals.css"), "utf8"), { from: path.join(root, "app/globals.css") });
fs.writeFileSync(path.join(out, "app.css"), css.css);

const html = (page: string, dark: boolean) =>
  `<!doctype html><html lang="en"${dark ? ' class="dark"' : ""}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="stylesheet" href="/app.css"></head>
<body class="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100"><div id="root"></div>
<script id="page-data" type="application/json">${JSON.stringify({ page, data: pages[page] }).replace(/</g, "\\u003c")}</script><script type="module" src="/pages-browser.js"></script></body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const [, page, theme] = url.pathname.split("/");
  if (page && pages[page] !== undefined && (theme === "light" || theme === "dark")) return res.writeHead(200, { "content-type": "text/html" }).end(html(page, theme === "dark"));
  if (url.pathname === "/api/v1/dashboard/hosts") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(hosts));
  const file = path.join(out, url.pathname);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return res.writeHead(200, { "content-type": file.endsWith(".css") ? "text/css" : "text/javascript" }).end(fs.readFileSync(file));
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"not in the harness"}}');
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

fs.mkdirSync(args.out!, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const [device, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    const context = await browser.newContext({ viewport });
    const tab = await context.newPage();
    tab.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    for (const page of Object.keys(pages)) {
      for (const theme of ["light", "dark"]) {
        await tab.goto(`${origin}/${page}/${theme}`);
        await tab.waitForTimeout(page === "home" || page === "service" ? 1500 : 400);
        await tab.screenshot({ path: path.join(args.out!, `${page}-${device}-${theme}.png`), fullPage: device === "desktop" });
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(out, { recursive: true, force: true });
}
console.log(`screenshots in ${args.out}`);
