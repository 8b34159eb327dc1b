import { describe, expect, it } from "vitest";
import { adjacency, doneSubtrees, neighbourhood, visibleDag } from "@/components/run/dag-model";
import type { RunTaskView, TaskStatus } from "@/lib/presenters/get-run-data";

// Root ← Publish ← Extract ← Fetch (all DONE), Root ← Report (FAILED) ← Extract: the done chain
// behind Publish collapses into one node, but Extract stays drawn because Report (not done) needs it.

const task = (taskId: string, status: TaskStatus, deps: string[] = [], isRoot = false): RunTaskView => ({
  taskId, family: taskId, params: {}, host: null, isRoot, deps, status, currentStatus: null, currentAt: null, activeInRun: true, spans: [], failure: null,
});
const tasks = [
  task("Root", "PENDING", ["Publish", "Report"], true),
  task("Publish", "DONE", ["Extract"]),
  task("Report", "FAILED", ["Extract"]),
  task("Extract", "DONE", ["Fetch"]),
  task("Fetch", "DONE"),
];

describe("the run's DAG", () => {
  it("finds done subtrees and collapses them, keeping what an unfinished task still needs", () => {
    const done = doneSubtrees(tasks);
    expect([...done].sort()).toEqual(["Extract", "Fetch", "Publish"]);
    const dag = visibleDag(tasks, done, new Set());
    expect(dag.nodes.map((n) => [n.id, n.hidden])).toEqual([
      ["Root", 0],
      ["Publish", 2],
      ["Report", 0],
      ["Extract", 1],
    ]);
    expect(visibleDag(tasks, done, new Set(["Publish", "Extract"])).nodes).toHaveLength(5);
  });

  it("highlights upstream and downstream of a node", () => {
    const dag = visibleDag(tasks, new Set(), new Set());
    const near = neighbourhood(adjacency(dag), "Extract");
    expect([...near.upstream]).toEqual(["Fetch"]);
    expect([...near.downstream].sort()).toEqual(["Publish", "Report", "Root"]);
  });
});
