import { describe, expect, it } from "vitest";
import { schedulerProcesses } from "@/lib/scheduler/testing/daemon-process";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// A scheduler that was down longer than worker_disconnect_delay (its database gone for a while, a
// host that took minutes to come back): its workers went on running their tasks and could not
// reach it meanwhile. The restarted scheduler must not fail their RUNNING tasks on its first prune
// for a silence that was its own; a worker that does not come back is found as usual, one
// worker_disconnect_delay later. A real scheduler process on a real PostgreSQL, SIGKILLed.

type Listed = Record<string, { status: string; worker_running: string | null }>;
const DELAY = 3;

describe("a scheduler back after downtime", () => {
  const schedulers = schedulerProcesses();

  it("keeps the RUNNING tasks of workers that call again, and fails those of a worker that stays silent", async () => {
    const config = `[scheduler]\nworker_disconnect_delay = ${DELAY}\n`;
    const first = await schedulers.start(false, config);
    const start = async (worker: string, task: string) => {
      await rpc(first.url, "add_task", { worker, task_id: task, family: task.split("_")[0], params: {}, deps: [], status: "PENDING", runnable: true });
      expect((await rpc<{ task_id: string | null }>(first.url, "get_work", { worker, host: "h", current_tasks: [], assistant: false })).task_id).toBe(task);
    };
    // w-quiet had already been silent for longer than the delay when the scheduler went down
    await start("w-quiet", "Quiet_1");
    await new Promise((r) => setTimeout(r, (DELAY + 0.5) * 1000));
    await start("w-back", "Keep_1");
    await start("w-gone", "Lose_1");
    await first.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, (DELAY + 2) * 1000)); // down longer than worker_disconnect_delay

    const second = await schedulers.start(false, config);
    const restarted = Date.now();
    const status = async () => {
      const tasks = await rpc<Listed>(second.url, "task_list", { limit: false }); // a read method: it prunes first
      return { keep: tasks.Keep_1?.status, lose: tasks.Lose_1?.status, quiet: tasks.Quiet_1?.status };
    };
    expect(await status()).toEqual({ keep: "RUNNING", lose: "RUNNING", quiet: "FAILED" });
    // w-back pings, as a Luigi worker's keep-alive thread does every second; w-gone never calls again
    let lose = "RUNNING";
    while (lose === "RUNNING" && Date.now() - restarted < (DELAY + 10) * 1000) {
      await rpc(second.url, "ping", { worker: "w-back" });
      await new Promise((r) => setTimeout(r, 500));
      ({ lose } = (await status()) as { lose: string });
    }
    expect(lose).toBe("FAILED");
    expect(Date.now() - restarted).toBeGreaterThanOrEqual(DELAY * 1000 - 500);
    expect(await status()).toEqual({ keep: "RUNNING", lose: "FAILED", quiet: "FAILED" });
    // and w-back's task ends as it reports
    await rpc(second.url, "add_task", { worker: "w-back", task_id: "Keep_1", status: "DONE", expl: "null", runnable: null });
    expect((await status()).keep).toBe("DONE");
  }, 90_000);
});
