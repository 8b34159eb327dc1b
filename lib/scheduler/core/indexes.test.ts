import { describe, expect, it } from "vitest";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { indexProblems } from "@/lib/scheduler/testing/check-indexes";

// Drives the scheduler with a long random mix of worker and operator calls (seeded, so a failure
// replays) and checks after every call that the incremental indexes equal a from-scratch rebuild.

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe("incremental indexes", () => {
  it.each([1, 2, 3, 4, 5])("stay equal to a rebuild under random traffic (seed %i)", (seed) => {
    const rand = rng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    let now = 1_000_000;
    const s = new Scheduler({ retryDelay: 5, workerDisconnectDelay: 30, removeDelay: 60, retryCount: 3, resources: { r: 2 } }, () => now);
    const workers = ["w1", "w2", "w3"];
    const ids = Array.from({ length: 25 }, (_, i) => `T_${i}`);
    for (let step = 0; step < 1500; step++) {
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
        now += rand() * 40;
        s.prune();
      }
      s.count_pending({ worker: w });
      const problems = indexProblems(s.state);
      if (problems.length) throw new Error(`after step ${step}: ${problems.slice(0, 5).join("; ")}`);
    }
    expect(s.state.tasks.size).toBeGreaterThan(0);
  });
});
