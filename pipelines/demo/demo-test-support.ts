import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { switchyardRun, tempDir, type RunResult } from "../../lib/pipeline/test-support";

// Shared by the demo's integration tests: how a runner would launch a demo run, and readers for
// what a run leaves behind (outputs, history rows).

export const dailyFamilies = ["GenerateEvents", "CleanEvents", "Sessionize", "AggregateAccounts", "ComputeMetrics", "LoadAccountDaily", "LoadServiceMetrics", "PublishReport", "AllDailyTask"];

export function demoEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SWITCHYARD_HOME: tempDir("switchyard-demo-"),
    DATABASE_URL: databaseUrl,
    // no random failures or slowness unless a test asks for them
    SWITCHYARD_DEMO_FLAKY_RATE: "0",
    SWITCHYARD_DEMO_FAIL_RATE: "0",
    SWITCHYARD_DEMO_SLOW_SERVICE: "none",
    SWITCHYARD_RPC_RETRY_WAIT: "1",
    ...extra,
  };
}

/** The daily command exactly as the runner launches it (demoCommands.daily). */
export function runDaily(schedulerUrl: string, service: string, day: string, env: Record<string, string>, extra: string[] = []): Promise<RunResult> {
  return switchyardRun(["--module", "pipelines/demo/daily.ts", "AllDailyTask", "--service-id", service, "--day", day, "--scheduler-url", schedulerUrl, ...extra], env);
}

export function dayDir(env: Record<string, string>, service: string, day: string): string {
  return path.join(env.SWITCHYARD_HOME, "demo-output", service, "daily", day);
}

export const familyOf = (taskId: string) => taskId.split("_")[0];

export function mtimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ["events.csv.gz", "clean-events.csv.gz", "sessions/_SUCCESS", "accounts.json", "metrics.json", "report.html"]) out[name] = fs.statSync(path.join(dir, name)).mtimeMs;
  return out;
}

/** Luigi history (tasks / task_events) as "Family: EVENT,EVENT,..." per task id containing `needle`. */
export async function historyOf(pool: pg.Pool, needle: string): Promise<Record<string, string>> {
  const r = await pool.query(
    `SELECT t.task_id, string_agg(e.event_name, ',' ORDER BY e.ts, e.id) AS events
       FROM tasks t JOIN task_events e ON e.task_id = t.id WHERE t.task_id LIKE '%' || $1 || '%' GROUP BY t.task_id`,
    [needle],
  );
  return Object.fromEntries(r.rows.map((row: { task_id: string; events: string }) => [row.task_id, row.events]));
}
