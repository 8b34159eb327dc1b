import { describe, expect, it } from "vitest";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";
import { upstreamStatus } from "@/lib/scheduler/core/upstream";

// Upstream status (SPEC §7.3) and the task_list filters built on it.

describe("upstream status", () => {
  it("takes the most severe condition below a pending task", () => {
    const { s, add, work, report } = testScheduler({ retryCount: 5 });
    add("w", "Top_1", { deps: ["Mid_1", "Run_1"] });
    add("w", "Mid_1", { deps: ["Fail_1", "Done_1"] });
    add("w", "Fail_1");
    add("w", "Done_1");
    add("w", "Run_1");
    add("w", "Lonely_1");
    const up = (id: string) => upstreamStatus(s.state, id, new Map());
    expect(up("Lonely_1")).toBe("UPSTREAM_MISSING_INPUT");
    expect(up("Top_1")).toBe("UPSTREAM_MISSING_INPUT");
    for (let i = 0; i < 3; i++) {
      const id = work("w").task_id as string;
      report("w", id, id === "Fail_1" ? "FAILED" : id === "Run_1" ? "RUNNING" : "DONE", { runnable: true });
    }
    expect(s.state.tasks.get("Run_1")!.status).toBe("RUNNING");
    expect(up("Mid_1")).toBe("UPSTREAM_FAILED");
    expect(up("Top_1")).toBe("UPSTREAM_FAILED");
    const list = s.task_list({ status: "PENDING", upstream_status: "UPSTREAM_FAILED", limit: true, search: null, max_shown_tasks: null }) as Map<string, unknown>;
    expect([...list.keys()].sort()).toEqual(["Mid_1", "Top_1"]);
  });

  it("answers task_list with a count when over the limit, and -1 with an upstream filter", () => {
    const { s, add } = testScheduler();
    add("w", "A_1");
    add("w", "B_1");
    expect(s.task_list({ status: "PENDING", upstream_status: "", limit: true, search: null, max_shown_tasks: 1 })).toEqual({ num_tasks: 2 });
    expect(s.task_list({ status: "PENDING", upstream_status: "UPSTREAM_MISSING_INPUT", limit: true, search: null, max_shown_tasks: 1 })).toEqual({ num_tasks: -1 });
    expect((s.task_list({ status: "", upstream_status: "", limit: true, search: "a(ID=A", max_shown_tasks: null }) as Map<string, unknown>).size).toBe(1);
  });
});
