import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { cancelRun } from "@/lib/control/cancel-run";
import { enqueueRun } from "@/lib/control/enqueue-run";
import { pruneLogTails, readLogTail } from "@/lib/db/runs/log-tails";
import { getRunLog } from "@/lib/presenters/get-run-log";
import type { Runner } from "@/lib/runner/runner";
import { addService, removeTempDirs, runStatus, testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// A runner whose logs the web reads over HTTP (it announces a log_url, as in Kubernetes) keeps the
// end of each run's log in the database while it runs and when it ends: a real runner, a real child process,
// a real PostgreSQL. A runner on a shared disk keeps nothing there.

const admin: Actor = { kind: "system", id: "test", name: "test", role: "admin" };
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
let db: TestDatabase;
let runners: Runner[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const printsThenFails = `sh -c 'i=0; while [ $i -lt 3000 ]; do echo "loading row $i"; i=$((i+1)); done; echo "Traceback (most recent call last):"; echo "KeyError: customer_id"; exit 1'`;
  await addService(db.pool, { name: "pod-service", dailyCommand: printsThenFails });
  await addService(db.pool, { name: "disk-service", dailyCommand: printsThenFails });
  await addService(db.pool, { name: "long-service", dailyCommand: `sh -c 'echo "step 1 of 2: loaded the accounts"; sleep 60'` });
}, 60_000);

afterAll(async () => {
  for (const r of runners) await r.stop();
  await db?.drop();
  removeTempDirs();
});

async function failedRun(service: string, logUrl: string | null): Promise<number> {
  const runner = testRunner(db.pool, { logUrl });
  runners.push(runner);
  await runner.start();
  const { run } = await enqueueRun(db.pool, admin, { service, kind: "daily", period: yesterday, force: false });
  await waitFor(`${service}'s run to fail`, async () => (await runStatus(db.pool, run.id)) === "failed", 30_000);
  await runner.stop();
  runners = runners.filter((r) => r !== runner);
  return run.id;
}

describe("the kept end of a run's log", () => {
  it("is kept by a runner that serves its logs over HTTP, and pruned after the log retention", async () => {
    const id = await failedRun("pod-service", "http://runner-0.runners:9090");
    const tail = await waitFor("the kept end", () => readLogTail(db.pool, id));
    const text = tail.bytes.toString("utf8");
    expect(text).toContain("KeyError: customer_id");
    expect(text).toContain("loading row 2999");
    expect(tail.size).toBeGreaterThan(3000 * 12);
    expect(tail.start + tail.bytes.length).toBe(tail.size);
    await db.pool.query("UPDATE run_log_tails SET kept_at = now() - interval '15 days' WHERE run_id = $1", [id]);
    expect(await pruneLogTails(db.pool, 0)).toBe(0); // 0 keeps everything, as SWITCHYARD_RUN_LOG_DAYS=0 does for the files
    expect(await pruneLogTails(db.pool, 30)).toBe(0);
    expect(await pruneLogTails(db.pool, 14)).toBe(1);
    expect(await readLogTail(db.pool, id)).toBeNull();
  }, 60_000);

  it("is kept while the run runs too, so a runner that goes with its pod leaves what its run wrote", async () => {
    // the runner's log URL answers nothing: to the web it is as gone as a deleted pod
    const runner = testRunner(db.pool, { logUrl: "http://127.0.0.1:9", keepLogTailEveryMs: 200 });
    runners.push(runner);
    await runner.start();
    const { run } = await enqueueRun(db.pool, admin, { service: "long-service", kind: "daily", period: yesterday, force: false });
    const tail = await waitFor("the end kept while running", async () => {
      const kept = await readLogTail(db.pool, run.id);
      return kept?.bytes.toString("utf8").includes("loaded the accounts") ? kept : null;
    });
    expect(await runStatus(db.pool, run.id)).toBe("running");
    const page = await getRunLog(db.pool, run.id, null);
    expect(page?.text).toContain("step 1 of 2: loaded the accounts");
    expect(page?.kept).toMatch(/^Showing the whole log, kept in the database while the run runs, last at .* \(kept again every minute; the rest is on its runner\)\. The log file cannot be read: /);
    // once the run is marked lost (its runner gone), the same end is what is left
    await db.pool.query("UPDATE runs SET finished_at = now() + interval '1 second' WHERE id = $1", [run.id]);
    expect((await getRunLog(db.pool, run.id, null))?.kept).toMatch(/kept in the database while the run was running, last at .*: what it wrote after that went with its runner\./);
    await db.pool.query("UPDATE runs SET finished_at = NULL WHERE id = $1", [run.id]);
    // the log did not grow: it is not written again every 200 ms
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await readLogTail(db.pool, run.id))?.keptAt).toEqual(tail.keptAt);

    await cancelRun(db.pool, admin, { id: run.id });
    await waitFor("the run to be cancelled", async () => (await runStatus(db.pool, run.id)) === "cancelled", 30_000);
    await waitFor("the end kept at the end", async () => ((await getRunLog(db.pool, run.id, null))?.kept ?? "").includes("kept in the database when the run ended"));
    await runner.stop();
    runners = runners.filter((r) => r !== runner);
  }, 60_000);

  it("is not kept by a runner whose log folder the web reads itself", async () => {
    const id = await failedRun("disk-service", null);
    expect(await readLogTail(db.pool, id)).toBeNull();
  }, 60_000);
});
