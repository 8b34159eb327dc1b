import { describe, expect, it } from "vitest";
import { schedulerProcesses, startDaemon } from "@/lib/scheduler/testing/daemon-process";
import { rpc } from "@/lib/scheduler/testing/rpc-client";
import { startBlackholeProxy } from "@/lib/testing/blackhole-proxy";

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
    await second.kill("SIGKILL"); // it holds the database's active lock
  }, 90_000);

  it("keeps them too when the scheduler stayed up and its database was away: the workers' pings were refused meanwhile, and reads did not prune", async () => {
    const u = new URL(schedulers.db.url);
    const proxy = await startBlackholeProxy({ host: u.hostname, port: Number(u.port) });
    await schedulers.db.pool.query("TRUNCATE scheduler_tasks, scheduler_workers, scheduler_journal");
    const daemon = await startDaemon({ databaseUrl: proxy.urlFor(schedulers.db.url), config: `[scheduler]\nworker_disconnect_delay = ${DELAY}\n` });
    try {
      for (const [worker, task] of [["w-back", "Keep_2"], ["w-gone", "Lose_2"]]) {
        await rpc(daemon.url, "add_task", { worker, task_id: task, family: task.split("_")[0], params: {}, deps: [], status: "PENDING", runnable: true });
        expect((await rpc<{ task_id: string | null }>(daemon.url, "get_work", { worker, host: "h", current_tasks: [], assistant: false })).task_id).toBe(task);
      }
      proxy.cut({ serverNotices: true }); // its lock session ends, as server-side keepalives end it
      proxy.refuse(true);
      // w-back pings all along, as Luigi's keep-alive thread does: refused once the scheduler finds
      // its database gone (its lock connection's heartbeat), then for longer than the delay; w-gone
      // stops calling when the scheduler stops answering
      const ping = (worker = "w-back") => rpc(daemon.url, "ping", { worker }).then(() => true, () => false);
      const cutAt = Date.now();
      // until then the scheduler serves (a ping changes only a worker's clock: nothing to commit), and w-gone pings too
      while ((await ping()) && (await ping("w-gone"))) {
        if (Date.now() - cutAt > 30_000) throw new Error(`the scheduler did not notice its database gone:\n${daemon.output()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const away = Date.now();
      let answered = 0;
      while (Date.now() - away < (DELAY + 2) * 1000) {
        if (await ping()) answered++;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(answered).toBe(0);
      const status = async () => {
        const tasks = await rpc<Listed>(daemon.url, "task_list", { limit: false });
        return { keep: tasks.Keep_2?.status, lose: tasks.Lose_2?.status };
      };
      // a read meanwhile (the dashboard, a visualiser) answers from memory, without pruning
      expect(await status()).toEqual({ keep: "RUNNING", lose: "RUNNING" });
      proxy.refuse(false);
      const back = Date.now();
      // serving again: the first answered ping, then the first prune (task_list) keeps both tasks
      for (;;) {
        if (await ping()) break;
        if (Date.now() - back > 30_000) throw new Error(`the scheduler did not serve again:\n${daemon.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await status()).toEqual({ keep: "RUNNING", lose: "RUNNING" });
      let lose = "RUNNING";
      while (lose === "RUNNING" && Date.now() - back < (DELAY + 30) * 1000) {
        await ping();
        await new Promise((r) => setTimeout(r, 500));
        ({ lose } = (await status()) as { lose: string });
      }
      expect(await status()).toEqual({ keep: "RUNNING", lose: "FAILED" });
    } finally {
      await daemon.kill("SIGKILL");
      await proxy.close();
    }
  }, 120_000);
});
