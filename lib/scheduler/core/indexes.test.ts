import { describe, expect, it } from "vitest";
import { Scheduler } from "@/lib/scheduler/core/scheduler";
import { indexProblems } from "@/lib/scheduler/testing/check-indexes";
import { randomTraffic, TRAFFIC_CONFIG } from "@/lib/scheduler/testing/random-traffic";

// Drives the scheduler with a long random mix of worker and operator calls (seeded, so a failure
// replays) and checks after every call that the incremental indexes equal a from-scratch rebuild.

describe("incremental indexes", () => {
  it.each([1, 2, 3, 4, 5])("stay equal to a rebuild under random traffic (seed %i)", (seed) => {
    const clock = { now: 1_000_000 };
    const s = new Scheduler(TRAFFIC_CONFIG, () => clock.now);
    const step = randomTraffic(seed, clock);
    for (let n = 0; n < 1500; n++) {
      step(s);
      const problems = indexProblems(s.state);
      if (problems.length) throw new Error(`after step ${n}: ${problems.slice(0, 5).join("; ")}`);
    }
    expect(s.state.tasks.size).toBeGreaterThan(0);
  });
});
