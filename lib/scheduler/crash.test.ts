import { describe, expect, it } from "vitest";
import { schedulerProcesses } from "@/lib/scheduler/testing/daemon-process";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// Kill -9 under load: several clients announce chains of tasks and run them against a real
// scheduler process on a real PostgreSQL; the process is SIGKILLed mid-load and restarted on the
// same database. Every change that was acknowledged (a 200 reply) must be there afterwards, and in
// Luigi's history: with checkpoints every 0.2 s (the default: the restart replays the journal rows
// of the last few), and with none before the kill (it replays them all, store/journal.ts).

const RANK: Record<string, number> = { PENDING: 0, RUNNING: 1, DONE: 2 };

type Acked = { status: "PENDING" | "RUNNING" | "DONE"; worker: string };

describe("crash safety", () => {
  const schedulers = schedulerProcesses();

  it.each([
    ["checkpoints every 0.2 s, the default", ""],
    ["no checkpoint before the kill", "[switchyard]\ncheckpoint_interval = 3600\n"],
  ])("keeps every acknowledged change across a SIGKILL (%s)", async (_, config) => {
    await schedulers.db.pool.query("TRUNCATE scheduler_tasks, scheduler_workers, scheduler_journal, task_events, task_parameters, tasks, task_dependencies, task_failures");
    const first = await schedulers.start(false, config);
    const acked = new Map<string, Acked>();
    let stop = false;
    const client = async (c: number) => {
      const worker = `crash-worker-${c}`;
      const running: string[] = [];
      for (let k = 0; !stop; k++) {
        const id = `Chain${c}_${k}`;
        try {
          await rpc(first.url, "add_task", { worker, task_id: id, family: `Chain${c}`, params: { k: String(k) }, deps: k > 0 ? [`Chain${c}_${k - 1}`] : [], status: "PENDING", runnable: true });
          if (!acked.has(id)) acked.set(id, { status: "PENDING", worker });
          const work = await rpc<{ task_id: string | null }>(first.url, "get_work", { worker, host: "crash-host", current_tasks: running, assistant: false });
          if (!work.task_id) continue;
          acked.set(work.task_id, { status: "RUNNING", worker });
          if (k % 5 === 4) {
            running.push(work.task_id); // leave some running at the time of the crash
            continue;
          }
          await rpc(first.url, "add_task", { worker, task_id: work.task_id, status: "DONE", expl: "null", runnable: null });
          acked.set(work.task_id, { status: "DONE", worker });
        } catch {
          return; // the process is gone: in-flight calls were not acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    // Kill once there is real load to lose, however slow the machine: a count, not a stopwatch.
    for (const deadline = Date.now() + 30_000; acked.size <= 200 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(acked.size).toBeGreaterThan(200);
    await first.kill("SIGKILL");
    stop = true;
    await Promise.all(clients);

    if (config) expect(Number((await schedulers.db.pool.query("SELECT count(*) FROM scheduler_journal")).rows[0].count)).toBeGreaterThan(100);
    const second = await schedulers.start(false);
    const tasks = await rpc<Record<string, { status: string; worker_running: string | null }>>(second.url, "task_list", { limit: false });
    const problems: string[] = [];
    for (const [id, a] of acked) {
      const t = tasks[id];
      if (!t) problems.push(`${id}: acknowledged ${a.status}, missing after restart`);
      else if (!(RANK[t.status] >= RANK[a.status] && RANK[t.status] <= RANK[a.status] + 1 && (a.status !== "DONE" || t.status === "DONE"))) problems.push(`${id}: acknowledged ${a.status}, found ${t.status}`);
      else if (t.status === "RUNNING" && a.status === "RUNNING" && t.worker_running !== a.worker) problems.push(`${id}: running on ${t.worker_running}, acknowledged to ${a.worker}`);
    }
    expect(problems).toEqual([]);
    const workers = await rpc<Array<{ name: string }>>(second.url, "worker_list", {});
    expect(workers.map((w) => w.name).sort()).toEqual([0, 1, 2, 3].map((c) => `crash-worker-${c}`)); // claims survive within worker_disconnect_delay
    const history = await schedulers.db.pool.query<{ task_id: string; events: string[] }>("SELECT t.task_id, array_agg(e.event_name ORDER BY e.id) AS events FROM tasks t JOIN task_events e ON e.task_id = t.id GROUP BY t.task_id");
    const events = new Map(history.rows.map((r) => [r.task_id, r.events]));
    for (const [id, a] of acked) {
      const ev = events.get(id) ?? [];
      if (!ev.includes("PENDING") || (a.status !== "PENDING" && !ev.includes("RUNNING")) || (a.status === "DONE" && !ev.includes("DONE"))) problems.push(`${id}: history ${ev} for acknowledged ${a.status}`);
    }
    expect(problems).toEqual([]);
    expect(await second.kill("SIGTERM")).toBe(0); // graceful stop: close, flush, exit 0
  }, 90_000);
});
