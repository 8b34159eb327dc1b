import { describe, expect, it } from "vitest";
import { lastLine, toSpans } from "@/lib/presenters/get-run-task-views";

describe("the exception line of a failure", () => {
  it("is the last line of a Python traceback", () => {
    expect(lastLine('Traceback (most recent call last):\n  File "x.py", line 3, in run\n    raise ValueError("bad")\nValueError: bad row 42\n')).toBe("ValueError: bad row 42");
  });

  it("is the line before the frames of a JavaScript stack", () => {
    const stack = "Runtime error:\nInjectedFailure: injected failure of Sessionize for coho 2026-12-01\n    at Sessionize.run (daily.ts:30:5)\n    at async run (task-process.ts:59:18)";
    expect(lastLine(stack)).toBe("InjectedFailure: injected failure of Sessionize for coho 2026-12-01");
  });
});

describe("timeline spans", () => {
  it("merges repeated statuses and ends an unfinished task at the run's end", () => {
    const events = [
      { name: "PENDING", ts: "2026-12-02T02:00:00.000Z" },
      { name: "PENDING", ts: "2026-12-02T02:00:05.000Z" },
      { name: "RUNNING", ts: "2026-12-02T02:00:10.000Z" },
    ];
    expect(toSpans(events, "2026-12-02T03:00:00.000Z")).toEqual([
      { status: "PENDING", from: "2026-12-02T02:00:00.000Z", to: "2026-12-02T02:00:10.000Z" },
      { status: "RUNNING", from: "2026-12-02T02:00:10.000Z", to: "2026-12-02T03:00:00.000Z" },
    ]);
  });
});
