import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lastWordsOf, readLastWords } from "@/lib/runner/last-words";
import { decideOutcome, wantsLastWords, type ProcessOutcome, type RootView } from "@/lib/runner/outcome";

// The last thing a failed process said, for its run's error: which line, and when it is asked for.

const exit = (exitCode: number | null, more: Partial<ProcessOutcome> = {}): ProcessOutcome => ({ exitCode, signal: null, timedOut: false, cancelled: false, ...more });
const found = (status: string, changedSinceLaunch?: boolean): RootView => ({ kind: "found", taskId: "AllDaily_x", status, changedSinceLaunch });

describe("last words", () => {
  it("takes the last line the process wrote: not blank, not the runner's notes, not a banner", () => {
    const python = "Traceback (most recent call last):\n  File \"<x>\", line 1\nModuleNotFoundError: No module named 'pipelines'\n\n[switchyard 2026-12-07T15:37:03.179Z] ended: exit code 1\n";
    expect(lastWordsOf(python)).toBe("ModuleNotFoundError: No module named 'pipelines'");
    expect(lastWordsOf("This progress looks :| because there were missing external dependencies\n\n===== Luigi Execution Summary =====\n")).toBe("This progress looks :| because there were missing external dependencies");
    expect(lastWordsOf("\r\n[switchyard 2026-12-07T15:37:03.179Z] run 9 attempt 1: x\r\n")).toBeNull();
    expect(lastWordsOf(`${"x".repeat(400)}\n`)).toBe(`${"x".repeat(299)}…`);
  });

  it("is asked for a process that exited non-zero on its own, unless its root is FAILED or DISABLED or Luigi's retcode says why", () => {
    expect(wantsLastWords(exit(2), { kind: "not-applicable" })).toBe(true);
    expect(wantsLastWords(exit(1), found("PENDING"))).toBe(true);
    expect(wantsLastWords(exit(40), { kind: "absent" })).toBe(true);
    // Luigi's own retcodes already say what happened, and a failed task's exception is kept apart
    for (const code of [10, 20, 25, 30, 35]) expect(wantsLastWords(exit(code), found("PENDING"))).toBe(false);
    expect(wantsLastWords(exit(1), found("DONE", false))).toBe(true);
    expect(wantsLastWords(exit(30), found("FAILED"))).toBe(false);
    expect(wantsLastWords(exit(30), found("disabled"))).toBe(false);
    expect(wantsLastWords(exit(0), { kind: "absent" })).toBe(false);
    expect(wantsLastWords(exit(137), { kind: "absent" })).toBe(false);
    expect(wantsLastWords(exit(null, { signal: "SIGKILL" }), { kind: "absent" })).toBe(false);
    expect(wantsLastWords(exit(143, { timedOut: true }), { kind: "absent" })).toBe(false);
    expect(wantsLastWords(exit(143, { cancelled: true }), { kind: "absent" })).toBe(false);
    // the outcome quotes them where wanted, and only there
    expect(decideOutcome(exit(2), { kind: "absent" }, 60, "usage: no such task").error).toBe("the process exited with code 2; the last line of its log: usage: no such task");
    expect(decideOutcome(exit(30), found("PENDING"), 60, "This progress looks :(").error).not.toContain("last line");
  });

  it("reads only the end of a long log, and nothing of a missing one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "last-words-"));
    try {
      const file = path.join(dir, "run-1.log");
      fs.writeFileSync(file, `${"noise\n".repeat(100_000)}psycopg2.OperationalError: could not connect to server\n[switchyard 2026-12-07T15:37:03.179Z] ended: exit code 1\n`);
      expect(await readLastWords(file)).toBe("psycopg2.OperationalError: could not connect to server");
      expect(await readLastWords(path.join(dir, "missing.log"))).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
