import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { createLogger } from "@/lib/log/logger";
import { repoRoot } from "@/lib/paths";
import { createClock, type Clock } from "@/lib/runner/clock";
import { createLocalLauncher } from "@/lib/runner/launchers/local/local-launcher";
import type { Launcher } from "@/lib/runner/launchers/types";
import { Runner, type RunnerOptions } from "@/lib/runner/runner";
import { createSchedulerClient } from "@/lib/runner/scheduler-client";
import { saveService } from "@/lib/db/services/save-service";
import { serviceConfigSchema } from "@/lib/schemas/services";
import type { z } from "zod";

export { waitFor } from "@/lib/testing/wait-for";

// Helpers for the runner's integration tests: services written through the real config schema,
// runners with real child processes, and polling the database until a condition holds.

export const TINY_COMMAND = "node bin/switchyard.mjs run --module lib/runner/testing/tiny-pipeline.ts TinyDaily --service-id {service} --day {day} --scheduler-url {scheduler_url}";

export async function addService(pool: pg.Pool, s: z.input<typeof serviceConfigSchema>): Promise<number> {
  return saveService(pool, serviceConfigSchema.parse(s), "config");
}

const tempDirs: string[] = [];

/** A fresh folder under the system temp folder; removeTempDirs() deletes every one made. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function testRunner(pool: pg.Pool, options: Partial<RunnerOptions> & { schedulerUrl?: string; launcher?: Launcher; clock?: Clock } = {}): Runner {
  return new Runner({
    pool,
    launcher: options.launcher ?? createLocalLauncher({ cwd: repoRoot, passEnv: ["TINY_*"] }),
    scheduler: createSchedulerClient(options.schedulerUrl ?? "http://127.0.0.1:9", { timeoutMs: 2000 }),
    logger: createLogger("test-runner", "warn"),
    clock: options.clock ?? createClock(),
    host: { name: "test-host", cpuCount: 2, memoryTotalBytes: os.totalmem() },
    logDir: options.logDir ?? tempDir("runner-logs-"),
    maxRunning: 4,
    trigger: false,
    pollMs: 200,
    heartbeatMs: 300,
    staleSeconds: 3,
    stopGraceMs: 1000,
    ...options,
  });
}


export async function runStatus(pool: pg.Pool, id: number): Promise<string> {
  return (await pool.query("SELECT status FROM runs WHERE id = $1", [id])).rows[0]?.status;
}
