import { describe, expect, it } from "vitest";
import { createRefusalBudget } from "@/lib/api/refusal-budget";

describe("refusal budget", () => {
  it("records the first N per caller per minute, then counts, and reports the count on the next row", () => {
    const budget = createRefusalBudget(3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => budget.take("anonymous", t0).record)).toEqual([true, true, true]);
    expect(budget.take("anonymous", t0 + 10).record).toBe(false);
    expect(budget.take("anonymous", t0 + 20).record).toBe(false);
    expect(budget.take("user:1", t0 + 20)).toEqual({ record: true, suppressed: 0 }); // other callers keep their own budget
    expect(budget.take("anonymous", t0 + 60_000)).toEqual({ record: true, suppressed: 2 });
    expect(budget.take("anonymous", t0 + 60_001)).toEqual({ record: true, suppressed: 0 });
  });

  it("keeps memory bounded under a spray of distinct callers", () => {
    const budget = createRefusalBudget(1, 100);
    for (let i = 0; i < 1_000; i++) expect(budget.take(`c${i}`, 5).record).toBe(true);
  });
});
