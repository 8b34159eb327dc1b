import { afterEach, describe, expect, it } from "vitest";
import { forgetSharedReads, sharedRead } from "@/lib/presenters/shared-read";

// The home page's read model is computed once for the page's HTML and the browser's fetch that
// follows it, and once for the polls of many tabs within the same moment.

afterEach(() => forgetSharedReads());

describe("sharedRead", () => {
  it("shares one computation between callers within maxAgeMs, and computes again after", async () => {
    let computed = 0;
    const compute = async () => ++computed;
    const [a, b] = await Promise.all([sharedRead("home", 2000, compute, 1000), sharedRead("home", 2000, compute, 1500)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    expect(await sharedRead("home", 2000, compute, 2999)).toBe(1);
    expect(await sharedRead("home", 2000, compute, 3000)).toBe(2);
    // another key is its own
    expect(await sharedRead("other", 2000, compute, 3000)).toBe(3);
  });

  it("does not keep a failure, and forgets everything after a change", async () => {
    let calls = 0;
    await expect(sharedRead("home", 2000, async () => { calls++; throw new Error("database down"); }, 1000)).rejects.toThrow("database down");
    await new Promise((r) => setImmediate(r));
    expect(await sharedRead("home", 2000, async () => ++calls, 1001)).toBe(2);
    forgetSharedReads();
    expect(await sharedRead("home", 2000, async () => ++calls, 1002)).toBe(3);
  });

  it("does not trust a clock that went back", async () => {
    let computed = 0;
    await sharedRead("home", 2000, async () => ++computed, 5000);
    expect(await sharedRead("home", 2000, async () => ++computed, 4000)).toBe(2);
  });
});
