// `npm test`: every check, in the order that fails fastest, on a fresh machine with nothing
// set up beforehand. It installs Debian's Chromium when missing (as root), builds the
// dashboard once, runs the unit and integration tests (vitest, real PostgreSQL), then the
// end-to-end tests (Playwright, real Chromium, the real system). Every step runs even when an
// earlier one failed, so one run shows every problem; the exit code is non-zero if any failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const bin = (name: string) => path.join("node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", FORCE_COLOR: process.env.CI ? "0" : "1" };

type Step = { name: string; ok: boolean; seconds: number };
const steps: Step[] = [];

function run(name: string, command: string, args: string[], extraEnv: Record<string, string | undefined> = {}): boolean {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const ok = r.status === 0;
  steps.push({ name, ok, seconds: (Date.now() - t0) / 1000 });
  if (!ok) console.log(`✗ ${name} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
  return ok;
}

function ensureChromium(): boolean {
  if (fs.existsSync(chromium)) return true;
  if (process.getuid?.() !== 0) {
    console.error(`✗ ${chromium} is missing and this is not root: install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
    steps.push({ name: "chromium", ok: false, seconds: 0 });
    return false;
  }
  const ok =
    run("apt-get update", "apt-get", ["update", "-qq"]) &&
    run("install chromium", "apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { DEBIAN_FRONTEND: "noninteractive" });
  return ok && fs.existsSync(chromium);
}

function countVitest(): { passed: number; failed: number; skipped: number } {
  try {
    const r = JSON.parse(fs.readFileSync("test-results/vitest.json", "utf8"));
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 }; // no report: the run itself broke
  }
}

function countPlaywright(): { passed: number; failed: number; skipped: number } {
  try {
    const r = JSON.parse(fs.readFileSync("test-results/playwright.json", "utf8"));
    return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

fs.rmSync("test-results", { recursive: true, force: true });
fs.mkdirSync("test-results", { recursive: true });

const haveChromium = ensureChromium();
run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
run("lint", bin("eslint"), [".", "--max-warnings", "0"]);
const built = run("build", bin("next"), ["build"]);
run("unit and integration tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", "--outputFile=test-results/vitest.json"]);
const vitest = countVitest();

let playwright = { passed: 0, failed: 0, skipped: 0 };
if (haveChromium && built) {
  const home = path.join(os.tmpdir(), "switchyard-e2e");
  fs.rmSync(home, { recursive: true, force: true }); // every e2e run starts from an empty system
  run("end-to-end tests", bin("playwright"), ["test"], { E2E_HOME: home });
  playwright = countPlaywright();
} else {
  console.log("✗ end-to-end tests not run: they need Chromium and a dashboard build");
  playwright.failed = 1;
}

console.log("\nSummary");
for (const s of steps) console.log(`  ${s.ok ? "ok  " : "FAIL"} ${s.name.padEnd(28)} ${s.seconds.toFixed(1)} s`);
console.log(`  vitest: ${vitest.passed} passed, ${vitest.failed} failed, ${vitest.skipped} skipped`);
console.log(`  playwright: ${playwright.passed} passed, ${playwright.failed} failed, ${playwright.skipped} skipped`);
const failedSteps = steps.filter((s) => !s.ok).length;
const passed = vitest.passed + playwright.passed;
const failed = vitest.failed + playwright.failed + (failedSteps > 0 && vitest.failed + playwright.failed === 0 ? failedSteps : 0);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps > 0 || failed > 0 ? 1 : 0);
