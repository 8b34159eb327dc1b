import { describe, expect, it } from "vitest";
import { formatAgo, shortReason } from "@/components/format/format";

describe("formatAgo", () => {
  const now = "2026-12-04T21:00:00.000Z";
  it("says how long ago, and how far ahead a future time is", () => {
    expect(formatAgo("2026-12-04T20:59:30.000Z", now)).toBe("30s ago");
    expect(formatAgo("2026-12-04T21:05:00.000Z", now)).toBe("in 5m 00s");
  });
  it("reads a stamp less than a second ahead (clock skew) as just now, not 'in 0s'", () => {
    expect(formatAgo("2026-12-04T21:00:00.400Z", now)).toBe("0s ago");
  });
});

describe("shortReason", () => {
  it("keeps a reason up to 120 characters, and cuts a longer one with an ellipsis at 120", () => {
    expect(shortReason("disk swap")).toBe("disk swap");
    expect(shortReason("x".repeat(120))).toBe("x".repeat(120));
    expect(shortReason("x".repeat(1000))).toBe(`${"x".repeat(119)}…`);
  });
});
