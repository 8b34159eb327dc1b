import { describe, expect, it } from "vitest";
import type { Task } from "@/lib/scheduler/core/records";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";
import { randomTraffic, TRAFFIC_CONFIG } from "@/lib/scheduler/testing/random-traffic";

// prune visits only the tasks whose outcome can have changed (core/prune.ts); luigid's visits
// every task. Two schedulers get the same seeded random traffic, one pruning as it does and one
// made to visit every task at each prune (the full pass a restart begins with), and after every
// call they must hold the same tasks in the same states and the same workers.

function view(s: Scheduler) {
  const task = (t: Task) => [t.status, t.remove, t.retry, t.workerRunning, [...t.stakeholders].sort().join(","), [...t.workers].sort().join(","), t.failures.length].join("|");
  return {
    tasks: Object.fromEntries([...s.state.tasks.values()].map((t) => [t.id, task(t)])),
    workers: [...s.state.workers.keys()].sort(),
  };
}

describe("prune", () => {
  it("fails the task of an assistant that went silent, though nothing changed the task itself", () => {
    const { s, clock, add, work, status } = testScheduler({ workerDisconnectDelay: 30 });
    add("owner", "T_1");
    expect(work("helper", { assistant: true })).toMatchObject({ task_id: "T_1" });
    s.prune(); // sees the task's changes: its worker is alive and an assistant, so nothing happens
    expect(status("T_1")).toBe("RUNNING");
    clock.now += 40;
    s.ping({ worker: "owner" });
    s.prune(); // the helper is dropped, and an assistant is no stakeholder: its task fails
    expect(status("T_1")).toBe("FAILED");
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("leaves the same state as visiting every task, under random traffic (seed %i)", (seed) => {
    const fastClock = { now: 1_000_000 };
    const fullClock = { now: 1_000_000 };
    const fast = new Scheduler(TRAFFIC_CONFIG, () => fastClock.now);
    const full = new Scheduler(TRAFFIC_CONFIG, () => fullClock.now);
    const stepFast = randomTraffic(seed, fastClock);
    const stepFull = randomTraffic(seed, fullClock); // the same seed: the same calls at the same times
    let removed = 0;
    let previous = view(full);
    for (let n = 0; n < 3000; n++) {
      stepFast(fast);
      full.state.pruneEveryTask = true; // its next prune visits every task
      stepFull(full);
      const now = view(full);
      expect(view(fast), `after step ${n}`).toEqual(now);
      removed += Object.keys(previous.tasks).filter((id) => !(id in now.tasks)).length;
      previous = now;
    }
    // the traffic did make prune remove tasks, not only keep them
    expect(removed).toBeGreaterThan(10);
  });
});
