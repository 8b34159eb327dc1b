import type { Scheduler } from "@/lib/scheduler/core/scheduler";

// A long random mix of worker and operator calls, seeded so that a failure replays: the traffic
// the scheduler's incremental structures are checked under (core/indexes.test.ts, core/prune.test.ts).
// Each step makes one call (about one in twenty moves the clock by up to 40 s and prunes), then
// count_pending.

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Scheduler config for the traffic: short delays, so retries, disconnects, removals and re-enables happen. */
export const TRAFFIC_CONFIG = { retryDelay: 5, workerDisconnectDelay: 30, removeDelay: 60, retryCount: 3, disablePersist: 50, resources: { r: 2 } };

export function randomTraffic(seed: number, clock: { now: number }) {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const workers = ["w1", "w2", "w3"];
  const ids = Array.from({ length: 25 }, (_, i) => `T_${i}`);
  return (s: Scheduler): void => {
    const w = pick(workers);
    const id = pick(ids);
    const r = rand();
    if (r < 0.35) {
      const deps = ids.filter(() => rand() < 0.08).filter((d) => d !== id);
      s.add_task({ task_id: id, status: pick(["PENDING", "PENDING", "PENDING", "DONE", "FAILED", "UNKNOWN", "DISABLED"]), runnable: rand() < 0.9, deps: rand() < 0.7 ? deps : null, new_deps: rand() < 0.1 ? [pick(ids)] : null, expl: null, resources: rand() < 0.2 ? { r: 1 } : null, priority: Math.floor(rand() * 4), family: "T", module: "m", params: { id }, param_visibilities: null, accepts_messages: false, assistant: rand() < 0.05, tracking_url: null, worker: w, batchable: rand() < 0.3, batch_id: null, retry_policy_dict: null });
    } else if (r < 0.6) {
      const running = [...s.state.bucket("RUNNING")].filter((t) => t.workerRunning === w).map((t) => t.id);
      s.get_work({ worker: w, host: "h", assistant: rand() < 0.05, current_tasks: rand() < 0.5 ? running : null });
    } else if (r < 0.78) {
      s.add_task({ task_id: id, status: pick(["DONE", "FAILED", "RUNNING"]), runnable: null, deps: null, new_deps: null, expl: '"x"', resources: null, priority: 0, family: "T", module: "m", params: null, param_visibilities: null, accepts_messages: null, assistant: false, tracking_url: null, worker: w, batchable: null, batch_id: null, retry_policy_dict: null });
    } else if (r < 0.84) s.ping({ worker: w });
    else if (r < 0.87) s.mark_as_done({ task_id: id });
    else if (r < 0.9) s.forgive_failures({ task_id: id });
    else if (r < 0.92) s.re_enable_task({ task_id: id });
    else if (r < 0.93) s.disable_worker({ worker: pick(workers) });
    else if (r < 0.95) s.add_task_batcher({ worker: w, task_family: "T", batched_args: ["id"], max_batch_size: 3 });
    else {
      clock.now += rand() * 40;
      s.prune();
    }
    s.count_pending({ worker: w });
  };
}
