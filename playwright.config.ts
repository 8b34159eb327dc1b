import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// End-to-end tests drive Debian's Chromium (Playwright never downloads a browser here) against
// the real system started by the real command, `switchyard start`, on its own data folder and ports.

const port = Number(process.env.E2E_PORT ?? 3100);
export const e2eHome = process.env.E2E_HOME ?? path.join(os.tmpdir(), "switchyard-e2e");
// e2e/specs/alerts.spec.ts starts a webhook receiver here; the started system sends its alerts to it
export const alertWebhook = { port: Number(process.env.E2E_WEBHOOK_PORT ?? port + 7), secret: "e2e-webhook-secret" };

export default defineConfig({
  testDir: "./e2e/specs",
  timeout: 60_000,
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // The database outage spec kills PostgreSQL's processes under the shared system: it runs after every other spec.
  projects: [
    { name: "dashboard", testIgnore: /database-outage\.spec\.ts$/ },
    { name: "database outage", testMatch: /database-outage\.spec\.ts$/, dependencies: ["dashboard"] },
  ],
  webServer: {
    command: "node bin/switchyard.mjs start",
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    env: {
      PORT: String(port),
      SCHEDULER_PORT: process.env.E2E_SCHEDULER_PORT ?? "8182",
      SWITCHYARD_PG_PORT: process.env.E2E_PG_PORT ?? "54339",
      SWITCHYARD_HOME: e2eHome,
      DATABASE_URL: "",
      SWITCHYARD_ALERT_CHANNELS: JSON.stringify([{ name: "e2e-webhook", type: "webhook", url: `http://127.0.0.1:${alertWebhook.port}/hook`, secret: alertWebhook.secret }]),
      SWITCHYARD_ALERT_TICK_SECONDS: "3",
    },
  },
});
