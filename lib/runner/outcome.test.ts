import { describe, expect, it } from "vitest";
import { decideOutcome, describeNotRun, isNotRun } from "@/lib/runner/outcome";

// How a run's status is decided from the scheduler's view of its root task and the process.

const exit = (exitCode: number | null, over = {}) => ({ exitCode, signal: null, timedOut: false, cancelled: false, ...over });
const found = (status: string) => ({ kind: "found" as const, taskId: "AllDailyTask_x", status });

describe("decideOutcome", () => {
  it("believes the scheduler first: a DONE reached during the run is done even with a non-zero exit", () => {
    expect(decideOutcome(exit(25), found("DONE"), 60)).toMatchObject({ status: "done" });
    expect(decideOutcome(exit(1), { ...found("DONE"), changedSinceLaunch: true }, 60)).toMatchObject({ status: "done", error: expect.stringMatching(/exited with code 1/) });
    expect(decideOutcome(exit(0), found("FAILED"), 60)).toMatchObject({ status: "failed", error: expect.stringMatching(/FAILED/) });
  });

  it("does not count a DONE left from before the launch for a process that did not end well", () => {
    const stale = { ...found("DONE"), changedSinceLaunch: false };
    expect(decideOutcome(exit(null, { signal: "SIGKILL" }), stale, 60)).toEqual({
      status: "failed",
      error: "the process was killed by SIGKILL and root task AllDailyTask_x is DONE in the scheduler only from before this run was launched",
    });
    expect(decideOutcome(exit(137), stale, 60)).toMatchObject({ status: "failed" });
    // exit 0 with the root already complete: Luigi's worker found nothing to do
    expect(decideOutcome(exit(0), stale, 60)).toEqual({ status: "done", error: null });
  });

  it("falls back to the exit code when the scheduler cannot say", () => {
    expect(decideOutcome(exit(0), { kind: "not-applicable" }, 60)).toEqual({ status: "done", error: null });
    expect(decideOutcome(exit(30), { kind: "absent" }, 60)).toMatchObject({ status: "failed", error: "the process exited with code 30 (a task failed)" });
    expect(decideOutcome(exit(0), { kind: "unreachable", message: "no answer" }, 60)).toMatchObject({ status: "done", error: expect.stringMatching(/no answer/) });
  });

  it("reads as a sentence whichever way the process ended", () => {
    expect(decideOutcome(exit(30), found("PENDING"), 60).error).toBe("the process exited with code 30 (a task failed) and root task AllDailyTask_x is PENDING, not DONE, in the scheduler");
    expect(decideOutcome(exit(0), found("PENDING"), 60).error).toBe("the process exited with code 0 but root task AllDailyTask_x is PENDING, not DONE, in the scheduler");
    expect(decideOutcome(exit(137), { kind: "absent" }, 60).error).toBe("the process exited with code 137 (killed by signal 9)");
    expect(decideOutcome(exit(null, { signal: "SIGTERM" }), found("FAILED"), 60).error).toBe("root task AllDailyTask_x is FAILED in the scheduler (the process was killed by SIGTERM)");
    expect(decideOutcome(exit(1), { ...found("DONE"), changedSinceLaunch: true }, 60).error).toBe("the scheduler reports AllDailyTask_x DONE, although the process exited with code 1");
  });

  it("cancel and timeout win over everything else", () => {
    expect(decideOutcome(exit(143, { cancelled: true }), found("DONE"), 60).status).toBe("cancelled");
    expect(decideOutcome(exit(143, { timedOut: true }), found("PENDING"), 60)).toMatchObject({ status: "failed", error: "timed out after 60 s and was stopped" });
  });
});

describe("isNotRun", () => {
  it("is exit 25 with the root task still pending or running elsewhere, and nothing else", () => {
    expect(isNotRun(exit(25), found("PENDING"))).toBe(true);
    expect(isNotRun(exit(25), found("RUNNING"))).toBe(true);
    expect(isNotRun(exit(25), found("DONE"))).toBe(false);
    expect(isNotRun(exit(25), { ...found("DONE"), changedSinceLaunch: true })).toBe(false);
    // a forced run's PENDING ignored inside Luigi's DONE cooldown: not its turn yet
    expect(isNotRun(exit(25), { ...found("DONE"), changedSinceLaunch: false })).toBe(true);
    expect(isNotRun(exit(25), { kind: "absent" })).toBe(false);
    expect(isNotRun(exit(25, { cancelled: true }), found("PENDING"))).toBe(false);
    expect(isNotRun(exit(30), found("PENDING"))).toBe(false);
  });

  it("is exit 10 too, a task it needed being run by another worker, with the same conditions", () => {
    expect(isNotRun(exit(10), found("PENDING"))).toBe(true);
    expect(isNotRun(exit(10), found("FAILED"))).toBe(false);
    expect(isNotRun(exit(10, { timedOut: true }), found("PENDING"))).toBe(false);
    expect(isNotRun(exit(10), { kind: "unreachable", message: "down" })).toBe(false);
    expect(describeNotRun(exit(10), found("PENDING"))).toBe("tasks it needed were being run by another worker (exit code 10; root task PENDING)");
    expect(describeNotRun(exit(25), found("RUNNING"))).toMatch(/^the scheduler granted the worker no work \(exit code 25; root task RUNNING\)/);
    expect(describeNotRun(exit(25), found("DONE"))).toContain("ignores a re-run of a task for stable_done_cooldown_secs");
  });
});
