import { describe, expect, it } from "vitest";
import { foldedResult } from "@/components/audit/audit-result";

describe("foldedResult", () => {
  it("leaves a short result to show whole", () => {
    expect(foldedResult({ email: "admin@example.com", client: "127.0.0.1" })).toBeNull();
    expect(foldedResult(null)).toBeNull();
  });

  it("folds a services-file sync's changes to the names of the fields it changed", () => {
    const changed = Object.fromEntries(["name", "retry", "hourly", "labels", "timeZone", "dailyCommand"].map((k) => [k, { to: `a long new value for ${k}`, from: null }]));
    expect(foldedResult({ changed })).toBe("changed: name, retry, hourly, labels and 2 more");
  });

  it("names every key of a long flat result, and cuts a long string or list", () => {
    expect(foldedResult({ runId: 7, command: "x".repeat(200) })).toBe("runId; command");
    const folded = foldedResult(["y".repeat(300)])!;
    expect(folded).toHaveLength(120);
    expect(folded.endsWith("…")).toBe(true);
  });
});
