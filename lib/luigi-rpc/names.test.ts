import { describe, expect, it } from "vitest";
import { OPERATOR_METHODS, READ_METHODS, RPC_METHODS, RUNNER_METHODS, TASK_STATUSES, WORKER_METHODS } from "@/lib/luigi-rpc/names";
import { METHODS } from "@/lib/scheduler/core/rpc-methods";
import { STATUSES } from "@/lib/scheduler/core/transitions";
import { fixtureFiles, loadFixture } from "@/lib/scheduler/testing/fixtures";

// The protocol's names are declared once (names.ts); the scheduler's method table must serve
// exactly those, and every method luigid was seen answering is one of them.

describe("Luigi's names", () => {
  it("are the scheduler's methods, each in exactly one group, operator calls among the state-changing ones", () => {
    expect([...RPC_METHODS].sort()).toEqual(Object.keys(METHODS).sort());
    expect(new Set(RPC_METHODS).size).toBe(WORKER_METHODS.length + READ_METHODS.length + OPERATOR_METHODS.length + RUNNER_METHODS.length);
    for (const m of OPERATOR_METHODS) expect(METHODS[m].write, m).toBe(true);
    for (const m of READ_METHODS) expect(METHODS[m].write, m).toBe(false);
  });

  it("cover every method and status in the recorded luigid traffic", () => {
    const seen = new Set<string>();
    const statuses = new Set<string>();
    for (const f of fixtureFiles()) {
      for (const r of loadFixture(f)) {
        if (r.method && r.status === 200) seen.add(r.method);
        const req = r.request as { status?: unknown } | null;
        if (r.method === "add_task" && typeof req?.status === "string") statuses.add(req.status);
      }
    }
    for (const m of seen) expect(RPC_METHODS as readonly string[]).toContain(m);
    for (const s of statuses) expect([...TASK_STATUSES, "SUSPENDED"]).toContain(s);
    expect(STATUSES).toBe(TASK_STATUSES);
  });
});
