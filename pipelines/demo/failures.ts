import fs from "node:fs";
import path from "node:path";
import { unitHash } from "./random";

// Failure injection, deterministic by seed, so the demo grid shows reds that a re-run fixes:
// - flaky tasks fail on their first attempt for a period and succeed when re-run;
// - stubborn tasks fail their first 3 attempts (a retry or two is not enough);
// - one service is chronically slow: its data is several times larger, so its runs take longer.
// Which (service, period, task) is hit depends only on the seed. Attempts are counted in files
// beside the outputs, so "first attempt" survives across processes and re-runs.
//
// Environment: SWITCHYARD_DEMO_SEED, SWITCHYARD_DEMO_FLAKY_RATE (0.01), SWITCHYARD_DEMO_FAIL_RATE
// (0.004), SWITCHYARD_DEMO_SLOW_SERVICE (a name, or "none"), SWITCHYARD_DEMO_SLOW_FACTOR (3), and
// for demos and tests SWITCHYARD_DEMO_FLAKY_TASKS / SWITCHYARD_DEMO_FAIL_TASKS: comma-separated
// "Family" or "Family@service" entries that always fail that way.

export type FailureConfig = {
  seed: string;
  flakyRate: number;
  stubbornRate: number;
  stubbornAttempts: number;
  slowService: string | null;
  slowFactor: number;
  flakyTasks: string[];
  failTasks: string[];
};

type Env = Record<string, string | undefined>;

export class InjectedFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InjectedFailure";
  }
}

function rate(env: Env, name: string, fallback: number, max = 1): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`${name} must be a number from 0 to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

const list = (raw: string | undefined) => (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export function failureConfig(env: Env = process.env): FailureConfig {
  const seed = env.SWITCHYARD_DEMO_SEED?.trim() || "switchyard";
  const slow = env.SWITCHYARD_DEMO_SLOW_SERVICE?.trim();
  return {
    seed,
    flakyRate: rate(env, "SWITCHYARD_DEMO_FLAKY_RATE", 0.01),
    stubbornRate: rate(env, "SWITCHYARD_DEMO_FAIL_RATE", 0.004),
    stubbornAttempts: 3,
    slowService: slow === "none" ? null : slow || "fabrikam-analytics",
    slowFactor: rate(env, "SWITCHYARD_DEMO_SLOW_FACTOR", 3, 50),
    flakyTasks: list(env.SWITCHYARD_DEMO_FLAKY_TASKS),
    failTasks: list(env.SWITCHYARD_DEMO_FAIL_TASKS),
  };
}

export type InjectionTarget = { taskId: string; family: string; service: string; period: string };

/** How many first attempts of this task fail (0 for almost all tasks). */
export function failingAttempts(t: InjectionTarget, config: FailureConfig): number {
  const named = (entries: string[]) => entries.includes(t.family) || entries.includes(`${t.family}@${t.service}`);
  if (named(config.failTasks)) return config.stubbornAttempts;
  if (named(config.flakyTasks)) return 1;
  const u = unitHash(config.seed, t.service, t.period, t.family);
  if (u < config.stubbornRate) return config.stubbornAttempts;
  if (u < config.stubbornRate + config.flakyRate) return 1;
  return 0;
}

/** Counts this attempt and throws if it is one of the attempts meant to fail. */
export function maybeFail(t: InjectionTarget, attemptsDir: string, config = failureConfig()): void {
  const failing = failingAttempts(t, config);
  if (failing === 0) return;
  fs.mkdirSync(attemptsDir, { recursive: true });
  const file = path.join(attemptsDir, t.taskId);
  const attempt = (fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8")) || 0 : 0) + 1;
  fs.writeFileSync(file, String(attempt));
  if (attempt <= failing) {
    const rest = failing - attempt;
    throw new InjectedFailure(
      `injected failure of ${t.family} for ${t.service} ${t.period} (attempt ${attempt}; ${rest === 0 ? "the next attempt succeeds" : `${rest} more attempt(s) will fail`})`,
    );
  }
}

/** Data volume multiplier: the chronically slow service processes several times more rows. */
export function volumeFactor(service: string, config = failureConfig()): number {
  return service === config.slowService ? config.slowFactor : 1;
}
