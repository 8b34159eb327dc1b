import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { SchedulerService } from "@/lib/scheduler/service";
import { LeaderLock } from "@/lib/scheduler/store/leader-lock";
import { loadState } from "@/lib/scheduler/store/load";
import { openPostgresDurability, type PostgresDurability } from "@/lib/scheduler/store/postgres-durability";
import { refreshStaged, stageTasks, WarmStandby, type Staged } from "@/lib/scheduler/store/warm-standby";
import { indexProblems } from "@/lib/scheduler/testing/check-indexes";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// A warm standby (store/warm-standby.ts): a copy of the tasks read while another scheduler is
// active, brought up to date from the journal, and at takeover only the journal rows it has not
// seen laid over it. What it restores must be what the active one acknowledged, exactly as a
// restore from the tables gives it, with every history event written once.

const logger = createLogger("warm-standby-test", "error", () => {});
const W = "Worker(salt=1, workers=1, host=h, username=u, pid=1)";
const W2 = "Worker(salt=2, workers=1, host=h2, username=u, pid=2)";
const W3 = "Worker(salt=3, workers=1, host=h3, username=u, pid=3)";
const opened: Active[] = [];

const CONFIG = { removeDelay: 60, workerDisconnectDelay: 60 };

type Active = { scheduler: Scheduler; service: SchedulerService; durability: PostgresDurability; lock: LeaderLock; clock: { now: number } };

async function activate(url: string, opts: { staged?: Staged | null; journalKeepMs?: number; clock?: { now: number } } = {}): Promise<Active> {
  const clock = opts.clock ?? { now: 1_800_000_000 };
  const scheduler = new Scheduler(CONFIG, () => clock.now);
  const lock = new LeaderLock(url, logger);
  const warm = opts.staged === undefined ? undefined : { start() {}, stop: async () => opts.staged ?? null };
  const durability = await openPostgresDurability(scheduler, lock, logger, () => {}, 3600, warm, opts.journalKeepMs);
  const active = { scheduler, service: new SchedulerService(scheduler, durability), durability, lock, clock };
  opened.push(active);
  return active;
}

const announce = (worker: string, id: string, deps: string[] = [], status = "PENDING") => ({ worker, task_id: id, family: id.split("_")[0], params: { n: id }, deps, status, runnable: status === "PENDING" ? true : null });

/** An RPC's decoded `response`, as a client reads it. */
async function call(service: SchedulerService, method: string, args: Record<string, unknown>): Promise<unknown> {
  const body = await service.execute(method, args);
  return JSON.parse(Buffer.concat(body as Buffer[]).toString()).response;
}

async function handOut(a: Active, worker: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const work = (await call(a.service, "get_work", { worker, host: "h", current_tasks: ids })) as { task_id: string | null };
    if (work.task_id) ids.push(work.task_id);
  }
  return ids;
}

/** What a client can see of a scheduler, plus the history row ids the next checkpoints build on. */
async function view(a: Active | { service: SchedulerService; scheduler: Scheduler }) {
  const historyIds = Object.fromEntries([...a.scheduler.state.tasks.values()].map((t) => [t.id, t.historyId]));
  return {
    tasks: await call(a.service, "task_list", {}),
    workers: await call(a.service, "worker_list", {}),
    pending: await call(a.service, "count_pending", { worker: W }),
    historyIds,
  };
}

describe("a warm standby", () => {
  let db: TestDatabase;
  let reader: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    reader = new pg.Client(db.url);
    await reader.connect();
  });
  afterEach(async () => {
    for (const a of opened.splice(0)) {
      await a.durability.close().catch(() => {});
      await a.lock.release();
    }
  });
  afterAll(async () => {
    await reader?.end();
    await db?.drop();
  });

  it("restores from its copy and the journal since exactly what the active one acknowledged, and writes each history event once", async () => {
    const a = await activate(db.url);
    for (let i = 0; i < 20; i++) await a.service.execute("add_task", announce(W, `T_${i}`, i % 5 === 0 ? [] : [`T_${i - 1}`]));
    await a.service.execute("add_task", announce(W3, "Gone_1", [], "DONE"));
    await a.durability.checkpoint();

    const staged = await stageTasks(reader);
    expect(staged.tasks.size).toBe(21);

    // Seen by the standby's next read: hand-outs, results, a failure, new tasks, a task deleted.
    const [first, second, third] = await handOut(a, W, 3);
    await a.service.execute("add_task", announce(W, first, [], "DONE"));
    await a.service.execute("add_task", announce(W, second, [], "FAILED"));
    await a.service.execute("add_task", announce(W2, "U_1"));
    for (let i = 0; i < 2; i++) {
      // W3 goes silent: its task is marked for removal, and removed at the prune after removeDelay
      a.clock.now += 100;
      for (const w of [W, W2]) await a.service.execute("ping", { worker: w });
      await a.service.execute("prune", {});
    }
    expect(a.scheduler.state.tasks.has("Gone_1")).toBe(false);
    await a.durability.checkpoint();
    expect(await refreshStaged(reader, staged)).toBe(true);
    expect(staged.tasks.has("Gone_1")).toBe(false);
    expect(staged.tasks.get("U_1")?.historyId).not.toBeNull(); // given by the checkpoint, read from its row

    // Checkpointed but not read by the standby (it lags), then journaled only: the takeover reads both.
    await a.service.execute("add_task", announce(W, third, [], "DONE"));
    await a.service.execute("add_task", announce(W2, "V_1"));
    await a.service.execute("add_task", announce(W2, "Gone_1")); // added again: a new seq
    await a.durability.checkpoint();
    await handOut(a, W, 2);
    await a.service.execute("add_task", announce(W2, "X_1", ["V_1"]));
    await a.service.execute("add_task", announce(W2, "U_1", [], "DONE"));
    const acknowledged = await view(a);

    // A is cut off (its lock gone, as when its process dies); B takes over from the copy.
    await a.lock.query("SELECT pg_advisory_unlock_all()");
    const b = await activate(db.url, { staged, clock: a.clock });
    expect(b.durability.stats.restoredWarm).toBe(1);
    expect(indexProblems(b.scheduler.state)).toEqual([]);
    const restored = await view(b);
    expect(restored.tasks).toEqual(acknowledged.tasks);
    expect(restored.workers).toEqual(acknowledged.workers);
    expect(restored.pending).toEqual(acknowledged.pending);
    // The ids A knew are kept; X_1's first event (journaled only) got its history row at B's start.
    for (const [id, historyId] of Object.entries(acknowledged.historyIds)) if (historyId !== null) expect(restored.historyIds[id]).toBe(historyId);
    expect(Object.values(restored.historyIds).every((id) => id !== null)).toBe(true);

    // A restore from the tables alone, after B's first checkpoint, holds the same.
    const c = new Scheduler(CONFIG, () => a.clock.now);
    const cold = await loadState(reader, c);
    expect(cold.warm).toBe(false);
    expect(await view({ scheduler: c, service: new SchedulerService(c, b.durability) })).toEqual(restored);
    const { rows } = await reader.query("SELECT count(*)::int AS events, count(DISTINCT (task_id, event_name, ts))::int AS distinct_events FROM task_events");
    expect(rows[0].events).toBe(rows[0].distinct_events);
    expect(rows[0].events).toBeGreaterThan(30);
  }, 60_000);

  it("reads every row again when journal rows it had not seen were deleted, or the database went back", async () => {
    await reader.query("TRUNCATE scheduler_tasks, scheduler_workers, scheduler_journal, scheduler_meta");
    const a = await activate(db.url, { journalKeepMs: 0 });
    for (let i = 0; i < 5; i++) await a.service.execute("add_task", announce(W, `S_${i}`));
    await a.durability.checkpoint();
    const staged = await stageTasks(reader);
    await a.service.execute("add_task", announce(W, "S_5"));
    await a.durability.checkpoint();
    await a.service.execute("add_task", announce(W, "S_6"));
    await a.durability.checkpoint(); // deletes the rows of the checkpoint before: S_5's, which the copy never read
    expect(await refreshStaged(reader, staged)).toBe(false);
    expect(Number((await reader.query("SELECT count(*) FROM scheduler_journal")).rows[0].count)).toBeLessThanOrEqual(1);
    // a database put back to an earlier point (a backup restored): its mark goes back, the copy is stale
    const current = await stageTasks(reader);
    expect(await refreshStaged(reader, current)).toBe(true);
    const { rows } = await reader.query("SELECT value::text AS mark FROM scheduler_meta WHERE key = 'journal'");
    await reader.query("UPDATE scheduler_meta SET value = json_build_object('checkpointed', 1, 'deleted', 0) WHERE key = 'journal'");
    expect(await refreshStaged(reader, current)).toBe(false);
    await reader.query("UPDATE scheduler_meta SET value = $1::json WHERE key = 'journal'", [rows[0].mark]);
    const acknowledged = await view(a);

    await a.lock.query("SELECT pg_advisory_unlock_all()");
    const b = await activate(db.url, { staged, clock: a.clock });
    expect(b.durability.stats.restoredWarm).toBe(0);
    expect(await view(b)).toEqual(acknowledged);
  }, 60_000);

  it("keeps its copy up to date every period while another scheduler is active", async () => {
    await reader.query("TRUNCATE scheduler_tasks, scheduler_workers, scheduler_journal, scheduler_meta");
    const a = await activate(db.url);
    await a.service.execute("add_task", announce(W, "P_0"));
    const standbyLock = new LeaderLock(db.url, logger);
    const warm = new WarmStandby(() => standbyLock.connectAnother("warm-standby-test"), logger, 20);
    warm.start();
    const latest = async () => Number((await reader.query("SELECT max(seq) AS seq FROM scheduler_journal")).rows[0].seq);
    for (let i = 1; i <= 5; i++) {
      await a.service.execute("add_task", announce(W, `P_${i}`));
      if (i % 2 === 0) await a.durability.checkpoint();
    }
    const through = await latest();
    while ((warm.info?.through ?? 0) < through) await new Promise((r) => setTimeout(r, 10));
    expect(warm.info?.tasks).toBe(6);
    const staged = await warm.stop();
    expect([...staged!.tasks.keys()]).toEqual(["P_0", "P_1", "P_2", "P_3", "P_4", "P_5"]);
    expect(warm.info).toBeNull();
  }, 60_000);
});
