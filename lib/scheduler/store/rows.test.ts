import { describe, expect, it } from "vitest";
import { Task } from "@/lib/scheduler/core/records";
import { SchedulerState } from "@/lib/scheduler/core/state";
import { taskData, taskFromRow } from "@/lib/scheduler/store/rows";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";

// The row document leaves out every field at its default; reading it back must give the same task.

const fields = (t: Task) => ({ ...taskData(t), id: t.id, seq: t.seq, status: t.status, historyId: t.historyId, retryPolicy: t.retryPolicy, updated: t.updated, priority: t.priority });

function roundTrip(t: Task): Task {
  const state = new SchedulerState();
  const doc = JSON.parse(JSON.stringify(taskData(t)));
  return taskFromRow({ task_id: t.id, seq: String(t.seq), status: t.status, history_id: t.historyId, data: doc }, state);
}

describe("task row document", () => {
  it("is small for a task at its defaults and reads back the same", () => {
    const { s, add } = testScheduler();
    add("W", "A_1", { deps: ["B_1"] });
    const t = s.state.tasks.get("A_1")!;
    expect(Object.keys(taskData(t)).sort()).toEqual(["deps", "family", "module", "params", "runnable", "stakeholders", "time", "workers"]);
    expect(fields(roundTrip(t))).toEqual(fields(t));
  });

  it("keeps every field that is set", () => {
    const { s, add, work, report, clock } = testScheduler({ retryCount: 1 });
    add("W", "A_1", { priority: 5, resources: { r: 1 }, param_visibilities: { id: 1 }, batchable: true, accepts_messages: true, tracking_url: "u", retry_policy_dict: { retry_count: 2, disable_hard_timeout: 7, disable_window: 9 } });
    clock.now += 1;
    expect(work("W").task_id).toBe("A_1");
    report("W", "A_1", "FAILED", { expl: '"boom"' });
    const t = s.state.tasks.get("A_1")!;
    t.statusMessage = "m";
    t.progressPercentage = 50;
    t.messageResponses = { x: 1 };
    t.historyId = 12;
    const back = roundTrip(t);
    for (const k of ["failures", "firstFailureTime", "expl", "trackingUrl", "statusMessage", "progressPercentage", "messageResponses", "acceptsMessages", "batchable", "retry", "timeRunning", "resourcesRunning", "workerRunning"] as const) {
      expect(back[k], k).toEqual(t[k]);
    }
    expect(t.failures.length).toBe(1);
    expect(fields(back)).toEqual(fields(t));
  });
});
