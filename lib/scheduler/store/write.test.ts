import { describe, expect, it } from "vitest";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { journalEntry, markJournaled } from "@/lib/scheduler/store/journal";
import { checkpointStatement } from "@/lib/scheduler/store/write";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";

// What a checkpoint writes, without a database: the statement chosen and the rows it carries.
// get_work traffic costs PostgreSQL time per checkpoint, which these keep small.

/** One group commit's journal row, committed, then checkpointed alone. */
function snapshot(s: Scheduler, changes: ReturnType<Scheduler["state"]["drainChanges"]>) {
  const entry = journalEntry(s, changes)!;
  markJournaled(entry);
  return checkpointStatement(entry.unwritten, 1, 0);
}

describe("checkpoint statement", () => {
  it("uses the light statement once every event's task has its history row, and writes no row for a derived change", () => {
    const { s, add, report, work } = testScheduler();
    add("W", "B_1", { deps: ["A_1"] });
    add("W", "A_1");
    const first = snapshot(s, s.state.drainChanges());
    expect(first.name).toBe("switchyard-checkpoint-run-facts"); // creates the history rows, records B_1's dependency
    for (const t of s.state.tasks.values()) t.historyId = 7; // as the committed flush leaves them

    expect(work("W").task_id).toBe("A_1");
    report("W", "A_1", "DONE");
    const second = snapshot(s, s.state.drainChanges());
    expect(second.name).toBe("switchyard-checkpoint-light");
    expect(second.events).toBe(2); // RUNNING, DONE
    // B_1 became ready (its count of unfinished deps changed) but nothing stored about it did
    expect(second.params[4]).toEqual(["A_1"]);

    s.state.deleteTask(s.state.tasks.get("B_1")!);
    expect(snapshot(s, s.state.drainChanges()).name).toBe("switchyard-checkpoint"); // deletes need the full statement
  });
});
