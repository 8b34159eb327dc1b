import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/db/pool";
import { enqueueRuns, type NewRun } from "@/lib/db/runs/enqueue-runs";
import { repoRoot } from "@/lib/paths";
import { createLocalLauncher } from "@/lib/runner/launchers/local/local-launcher";
import type { Runner } from "@/lib/runner/runner";
import { countingLauncher } from "@/lib/runner/testing/counting-launcher";
import { addService, removeTempDirs, tempDir, testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Two runners, each with its own connections, compete for one queue: every run is launched
// exactly once — counted both by the launchers and by the processes themselves, which append
// their run id to a file. Repeated 100 times, because a race shows up only now and then.

let db: TestDatabase;
const runners: Runner[] = [];
const pools: ReturnType<typeof createPool>[] = [];
const counts = new Map<number, number>();
const dir = tempDir("competing-");
const launches = path.join(dir, "launches");
let serviceId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  serviceId = await addService(db.pool, { name: "busy", dailyCommand: `sh -c "echo {run_id} >> ${launches}"` });
  for (let i = 0; i < 2; i++) {
    const pool = createPool(db.url, { max: 4 });
    pools.push(pool);
    const runner = testRunner(pool, { launcher: countingLauncher(createLocalLauncher({ cwd: repoRoot, passEnv: ["TINY_*"] }), counts), maxRunning: 3, pollMs: 500, runnerId: `competitor-${i}` });
    runners.push(runner);
    await runner.start();
  }
});

afterAll(async () => {
  for (const r of runners) await r.stop();
  for (const p of pools) await p.end();
  await db?.drop();
  removeTempDirs();
});

const RUNS_PER_ROUND = 8;

describe("two runners competing for one queue", () => {
  it("launch every run exactly once, 100 rounds in a row", async () => {
    const start = new Date(Date.UTC(2026, 0, 1));
    const newRun = (i: number): NewRun => ({
      serviceId,
      kind: "daily",
      periodStart: new Date(start.getTime() + i * 86_400_000),
      periodDate: new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10),
      periodHour: null,
      trigger: "manual",
      queuePriority: 0,
      force: false,
      fromTask: null,
      requestKey: null,
      requestedBy: "test",
      reason: null,
    });
    const all: number[] = [];
    for (let round = 0; round < 100; round++) {
      const queued = await enqueueRuns(db.pool, Array.from({ length: RUNS_PER_ROUND }, (_, i) => newRun(round * RUNS_PER_ROUND + i)));
      const ids = queued.map((q) => q.run.id);
      all.push(...ids);
      await waitFor(`round ${round} to finish`, async () => {
        const r = await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status = 'done'", [ids]);
        return r.rows[0].n === ids.length;
      });
    }
    const twice = all.filter((id) => counts.get(id) !== 1);
    expect(twice).toEqual([]);
    const lines = fs.readFileSync(launches, "utf8").trim().split("\n").map(Number).sort((a, b) => a - b);
    expect(lines).toEqual([...all].sort((a, b) => a - b));
    // Both runners took part (otherwise this tested nothing).
    const byRunner = await db.pool.query("SELECT runner_id, count(*)::int AS n FROM runs GROUP BY runner_id ORDER BY runner_id");
    expect(byRunner.rows.map((r) => r.runner_id)).toEqual(["competitor-0", "competitor-1"]);
  }, 240_000);
});
