import { describe, expect, it } from "vitest";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";

// get_work (SPEC §5): rank order, priority propagation, resources (including the greedy
// reservation that protects other workers' higher-priority work), batching, assistants,
// re-handout of lost tasks, disabled workers and pause; count_pending's numbers.

describe("get_work", () => {
  it("hands out by priority, then first-added time", () => {
    const { add, work, report, clock } = testScheduler();
    for (const [id, prio] of [["A_1", 10], ["B_1", 40], ["C_1", 20], ["D_1", 40]] as const) {
      add("w", id, { priority: prio });
      clock.now += 1;
    }
    const order: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const id = work("w").task_id;
      order.push(id);
      report("w", id as string, "DONE");
    }
    expect(order).toEqual(["B_1", "D_1", "C_1", "A_1"]);
  });

  it("raises dependencies to the priority of what needs them, and never lowers a priority", () => {
    const { s, add } = testScheduler();
    add("w", "Root_1", { priority: 5, deps: ["Mid_1"] });
    add("w", "Mid_1", { deps: ["Leaf_1"] });
    expect(s.state.tasks.get("Leaf_1")!.priority).toBe(5);
    add("w", "Root_1", { priority: 1 });
    expect(s.state.tasks.get("Root_1")!.priority).toBe(5);
  });

  it("runs only tasks whose dependencies are all DONE", () => {
    const { add, work, report } = testScheduler();
    add("w", "B_1", { deps: ["A_1"] });
    expect(work("w").task_id).toBeNull(); // A_1 is only a placeholder so far
    add("w", "A_1");
    expect(work("w").task_id).toBe("A_1");
    expect(work("w").task_id).toBeNull();
    report("w", "A_1", "DONE");
    expect(work("w").task_id).toBe("B_1");
  });

  it("never runs an unconfigured resource twice at once; decreasing running resources frees it", () => {
    const { s, add, work } = testScheduler();
    s.add_worker({ worker: "w", info: { workers: 2 } });
    add("w", "A_1", { resources: { gpu: 1 } });
    add("w", "B_1", { resources: { gpu: 1 } });
    expect(work("w").task_id).toBe("A_1");
    expect(work("w", { current_tasks: ["A_1"] }).task_id).toBeNull();
    s.decrease_running_task_resources({ task_id: "A_1", decrease_resources: { gpu: 1 } });
    expect(work("w", { current_tasks: ["A_1"] }).task_id).toBe("B_1");
  });

  it("keeps a resource for another worker's higher-priority task (greedy reservation)", () => {
    const { add, work, report } = testScheduler({ resources: { r: 1 } });
    add("w1", "High_1", { priority: 10, resources: { r: 1 }, deps: ["Prep_1"] });
    add("w1", "Prep_1");
    expect(work("w1").task_id).toBe("Prep_1");
    add("w2", "Low_1", { resources: { r: 1 } });
    report("w1", "Prep_1", "DONE");
    expect(work("w2").task_id).toBeNull(); // High_1 fits and w1 has a free slot: r is kept for it
    expect(work("w1").task_id).toBe("High_1");
    report("w1", "High_1", "DONE");
    expect(work("w2").task_id).toBe("Low_1");
  });

  it("batches tasks of a batched family into one reply and settles the members with the leader", () => {
    const { s, add, work, report, status } = testScheduler();
    s.add_task_batcher({ worker: "w", task_family: "Day", batched_args: ["day"], max_batch_size: Infinity });
    for (const d of ["1", "2", "3"]) add("w", `Day_${d}`, { batchable: true, params: { day: d, region: "eu" } });
    add("w", "Day_9", { batchable: true, params: { day: "9", region: "us" } }); // other non-batched params
    const reply = work("w");
    expect(reply).toMatchObject({ task_id: null, task_family: "Day", task_params: { day: ["1", "2", "3"], region: "eu" }, batch_task_ids: ["Day_1", "Day_2", "Day_3"] });
    expect(status("Day_2")).toBe("BATCH_RUNNING");
    add("w", "Day_3", { status: "RUNNING", batch_id: reply.batch_id as string, runnable: true, params: null });
    expect(status("Day_3")).toBe("RUNNING");
    report("w", "Day_3", "DONE");
    expect([status("Day_1"), status("Day_2"), status("Day_3"), status("Day_9")]).toEqual(["DONE", "DONE", "DONE", "PENDING"]);
  });

  it("gives an assistant any runnable task without making it a stakeholder", () => {
    const { s, add, work } = testScheduler();
    add("owner", "A_1");
    add("owner", "Ext_1", { runnable: false });
    expect(work("helper", { assistant: true }).task_id).toBe("A_1");
    expect(work("helper", { assistant: true }).task_id).toBeNull();
    expect(s.state.tasks.get("A_1")!.stakeholders).toEqual(["owner"]);
    expect(s.state.workers.get("helper")!.info.assistant).toBe(true);
  });

  it("hands a running task out again to a worker that no longer lists it as current", () => {
    const { add, work } = testScheduler();
    add("w", "A_1");
    add("w", "B_1");
    expect(work("w").task_id).toBe("A_1");
    expect(work("w", { current_tasks: ["A_1"] }).task_id).toBe("B_1");
    expect(work("w", { current_tasks: ["B_1"] }).task_id).toBe("A_1");
  });

  it("answers a disabled worker without n_pending_last_scheduled, and hands out nothing while paused", () => {
    const { s, add, work } = testScheduler();
    add("w", "A_1");
    s.pause();
    expect(work("w")).toMatchObject({ task_id: null, n_pending_tasks: 1 });
    s.unpause();
    s.disable_worker({ worker: "w" });
    expect(work("w")).toEqual({ n_pending_tasks: 0, running_tasks: [], task_id: null, n_unique_pending: 0, worker_state: "disabled" });
  });

  it("counts pending work per worker, skipping tasks blocked by a disabled one", () => {
    const { s, add, report, work } = testScheduler({ retryCount: 1 });
    add("w1", "Top_1", { deps: ["Bad_1"] });
    add("w1", "Bad_1");
    add("w2", "Bad_1");
    add("w1", "Free_1");
    expect(s.count_pending({ worker: "w1" })).toMatchObject({ n_pending_tasks: 3, n_unique_pending: 2, n_pending_last_scheduled: 2 });
    expect(work("w2").task_id).toBe("Bad_1");
    report("w2", "Bad_1", "FAILED");
    expect(s.state.tasks.get("Bad_1")!.status).toBe("DISABLED");
    expect(s.count_pending({ worker: "w1" })).toMatchObject({ n_pending_tasks: 1, n_unique_pending: 1 }); // Top_1 is UPSTREAM_DISABLED
  });
});
