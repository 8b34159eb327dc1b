import { describe, expect, it } from "vitest";
import { startsLine } from "@/components/run/run-summary";

// A queued run that may not start yet says when and why on its page: a retry waiting out its
// backoff (which a Re-run ends), or a period whose time has not come.

const now = "2026-12-06T18:55:00.000Z";

describe("the run page's Starts line", () => {
  it("names a retry's backoff, with the time and how long until it", () => {
    expect(startsLine({ status: "queued", trigger: "retry", notBefore: "2026-12-06T18:56:56.000Z" }, now)).toBe(
      "not before 12-06 18:56:56 UTC (in 1m 56s): the retry policy's backoff; re-running the period starts it now",
    );
  });

  it("says nothing for a run that may start now, or is not queued", () => {
    expect(startsLine({ status: "queued", trigger: "retry", notBefore: now }, now)).toBeNull();
    expect(startsLine({ status: "queued", trigger: "manual", notBefore: "2026-12-06T18:00:00.000Z" }, now)).toBeNull();
    expect(startsLine({ status: "running", trigger: "retry", notBefore: "2026-12-06T19:00:00.000Z" }, now)).toBeNull();
  });
});
