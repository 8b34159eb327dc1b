import { describe, expect, it } from "vitest";
import { encodeJson } from "@/lib/scheduler/http/python-json";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";

// The state machine of SPEC §4: retries, the failure policy, scheduler disables and their
// expiry, lost workers, the add_task status gate and the DONE cooldown.

describe("failure policy", () => {
  it("disables a task after retry_count failures within the window, and re_enable_task brings it back as FAILED", () => {
    const { s, add, report, work, status, clock } = testScheduler({ retryDelay: 1 });
    const policy = { retry_count: 2, disable_hard_timeout: null, disable_window: 3600 };
    add("w", "A_1", { retry_policy_dict: policy });
    work("w");
    report("w", "A_1", "FAILED", { retry_policy_dict: policy });
    expect(status("A_1")).toBe("FAILED");
    add("w", "A_1", { retry_policy_dict: policy }); // a re-run re-announces it: FAILED -> PENDING
    expect(work("w").task_id).toBe("A_1");
    report("w", "A_1", "FAILED", { retry_policy_dict: policy });
    expect(status("A_1")).toBe("DISABLED");
    add("w", "A_1"); // workers cannot override a scheduler disable
    expect(status("A_1")).toBe("DISABLED");
    const disabled = JSON.parse(encodeJson(s.task_list({ status: "DISABLED", upstream_status: "", limit: true, search: null, max_shown_tasks: null })));
    expect(disabled).toEqual({ A_1: expect.objectContaining({ re_enable_able: true }) });
    clock.now += 1;
    expect(s.re_enable_task({ task_id: "A_1" })).toMatchObject({ status: "FAILED", deps: [] });
    expect(s.state.tasks.get("A_1")!.failures).toEqual([]);
  });

  it("disables on a failure past disable_hard_timeout after the first failure", () => {
    const { add, report, work, status, clock } = testScheduler({ disableHardTimeout: 100 });
    add("w", "A_1");
    work("w");
    report("w", "A_1", "FAILED");
    clock.now += 150;
    add("w", "A_1");
    work("w");
    report("w", "A_1", "FAILED");
    expect(status("A_1")).toBe("DISABLED");
  });

  it("lifts a scheduler disable after disable_persist, at prune, as FAILED", () => {
    const { s, add, report, work, status, clock } = testScheduler({ retryCount: 1, disablePersist: 50, retryDelay: 1000 });
    add("w", "A_1");
    work("w");
    report("w", "A_1", "FAILED");
    expect(status("A_1")).toBe("DISABLED");
    clock.now += 40;
    s.ping({ worker: "w" });
    s.prune();
    expect(status("A_1")).toBe("DISABLED");
    clock.now += 20;
    s.ping({ worker: "w" });
    s.prune();
    expect(status("A_1")).toBe("FAILED");
  });

  it("a DONE report re-enables a disabled task; an explicit DISABLED report is not re-enable-able", () => {
    const { add, report, status, s } = testScheduler();
    add("w", "A_1", { status: "DISABLED" });
    expect(status("A_1")).toBe("DISABLED");
    expect(s.state.tasks.get("A_1")!.schedulerDisableTime).toBeNull();
    report("w", "A_1", "DONE");
    expect(status("A_1")).toBe("DONE");
  });
});

describe("retry and liveness (prune)", () => {
  it("moves FAILED back to PENDING only after retry_delay", () => {
    const { s, add, report, work, status, clock } = testScheduler({ retryDelay: 10 });
    add("w", "A_1");
    work("w");
    report("w", "A_1", "FAILED");
    clock.now += 5;
    s.prune();
    expect(status("A_1")).toBe("FAILED");
    clock.now += 6;
    s.prune();
    expect(status("A_1")).toBe("PENDING");
  });

  it("fails a running task once its worker is silent for worker_disconnect_delay, and forgets the worker", () => {
    const { s, add, work, status, clock } = testScheduler({ workerDisconnectDelay: 10 });
    add("w", "A_1");
    work("w");
    clock.now += 9;
    s.prune();
    expect(status("A_1")).toBe("RUNNING");
    clock.now += 2;
    s.prune();
    expect(status("A_1")).toBe("FAILED");
    expect(s.state.tasks.get("A_1")).toMatchObject({ workerRunning: null, workers: [], stakeholders: [] });
    expect(s.state.workers.has("w")).toBe(false);
  });

  it("removes a task nobody wants remove_delay after its last stakeholder left", () => {
    const { s, add, status, clock } = testScheduler({ workerDisconnectDelay: 10, removeDelay: 100 });
    add("w", "A_1");
    clock.now += 11;
    s.prune(); // worker gone: removal scheduled
    clock.now += 99;
    s.prune();
    expect(status("A_1")).toBe("PENDING");
    clock.now += 2;
    s.prune();
    expect(status("A_1")).toBeUndefined();
  });
});

describe("add_task status gate", () => {
  it("ignores another worker's PENDING for a running task, but takes the runner's DONE", () => {
    const { add, report, work, status } = testScheduler();
    add("w1", "A_1");
    expect(work("w1").task_id).toBe("A_1");
    add("w2", "A_1");
    expect(status("A_1")).toBe("RUNNING");
    report("w2", "A_1", "DONE");
    expect(status("A_1")).toBe("RUNNING");
    report("w1", "A_1", "DONE");
    expect(status("A_1")).toBe("DONE");
  });

  it("lets dynamic dependencies (new_deps) put a running task back to PENDING", () => {
    const { s, add, work, status } = testScheduler();
    add("w", "A_1");
    work("w");
    add("w", "B_1");
    add("w", "A_1", { runnable: null, new_deps: ["B_1"] });
    expect(status("A_1")).toBe("PENDING");
    expect(s.state.tasks.get("A_1")!.deps).toEqual(["B_1"]);
    expect(work("w").task_id).toBe("B_1");
  });

  it("ignores a PENDING claim within stable_done_cooldown_secs of DONE", () => {
    const { add, report, work, status, clock } = testScheduler();
    add("w", "A_1");
    work("w");
    report("w", "A_1", "DONE");
    clock.now += 5;
    add("w", "A_1");
    expect(status("A_1")).toBe("DONE");
    clock.now += 6;
    add("w", "A_1");
    expect(status("A_1")).toBe("PENDING");
  });

  it("records luigid's history events plus the scheduler's own transitions", () => {
    const { s, add, report, work, clock } = testScheduler({ retryDelay: 1 });
    add("w", "A_1");
    work("w");
    report("w", "A_1", "FAILED");
    clock.now += 2;
    s.prune();
    const events = s.state.changes.events.map((e) => `${e.status}/${e.origin}`);
    expect(events).toEqual(["PENDING/rpc", "RUNNING/rpc", "FAILED/rpc", "PENDING/scheduler"]);
  });
});
