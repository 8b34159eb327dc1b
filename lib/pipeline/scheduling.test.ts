import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../paths";
import { workerLogger } from "./run-log";
import { SchedulerClient } from "./scheduler-client";
import { ForcePolicy, forcedTaskIds, SchedulingPass, walkGraph } from "./scheduling";
import { param } from "./parameters";
import { Task } from "./task";
import { Extract, Load, Report, Transform } from "./testdata/harness-tasks";

// What the scheduling pass sends must be what the real Luigi worker sent for the same DAG
// (fixtures/dag.jsonl): same tasks, order, statuses, deps, params, visibilities and priorities.
// The transport here only records requests; scheduler behaviour is tested against the real server.

type Call = { method: string; args: Record<string, unknown> };
const recorder = (calls: Call[]) => ({
  async call(method: string, args: Record<string, unknown>) {
    calls.push({ method, args });
    return null;
  },
});

const recorded = fs
  .readFileSync(path.join(repoRoot, "spec/luigi-protocol/fixtures/dag.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const recorded2 = (file: string) =>
  fs
    .readFileSync(path.join(repoRoot, "spec/luigi-protocol/fixtures", file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const withoutWorker = (request: Record<string, unknown>) => {
  const { worker, ...rest } = request;
  void worker; // worker ids embed pids and salts: never comparable
  return rest;
};

const output = fs.mkdtempSync(path.join(os.tmpdir(), "harness-"));
beforeAll(() => {
  process.env.HARNESS_OUTPUT = output;
});
afterAll(() => fs.rmSync(output, { recursive: true, force: true }));

const report = () => new Report({ run_id: "h223020-0f7daf-dag", day: "2024-03-01" });

async function schedule(root: Task = report(), force = ForcePolicy.none()) {
  const calls: Call[] = [];
  const pass = new SchedulingPass(new SchedulerClient(recorder(calls), "W"), { module: "harness_tasks", log: workerLogger("test"), force });
  await pass.add(root);
  return calls;
}

describe("the scheduling pass", () => {
  it("announces the DAG exactly as Luigi 3.8.1 did", async () => {
    const ours = (await schedule()).map((c) => withoutWorker(c.args));
    const luigi = recorded.filter((r) => r.step === "dag-run1" && r.method === "add_task" && r.seq <= 11).map((r) => withoutWorker(r.request));
    expect(luigi).toHaveLength(11);
    expect(ours).toEqual(luigi);
  });

  it("announces a complete root as DONE and does not look under it", async () => {
    fs.mkdirSync(path.join(output, "h223020-0f7daf-dag"), { recursive: true });
    fs.writeFileSync(report().output().path, "done");
    try {
      const ours = (await schedule()).map((c) => withoutWorker(c.args));
      const luigi = recorded.filter((r) => r.step === "dag-run2-already-done" && r.method === "add_task").map((r) => withoutWorker(r.request));
      expect(ours).toEqual(luigi);
    } finally {
      fs.rmSync(report().output().path);
    }
  });

  it("reports a complete() that throws as a scheduling failure (fixtures/scheduling_error.jsonl)", async () => {
    class Broken extends Extract {
      async complete(): Promise<boolean> {
        throw new Error("complete() exploded");
      }
    }
    const calls = await schedule(new Broken({ run_id: "r", day: "2024-03-01", shard: 0 }));
    expect(calls.map((c) => [c.method, c.args.status ?? null])).toEqual([
      ["announce_scheduling_failure", null],
      ["add_task", "UNKNOWN"],
    ]);
    expect(calls[0].args.expl).toMatch(/complete\(\) exploded/);
    expect(calls[1].args).toMatchObject({ runnable: false, deps: null });
  });
});

describe("task attributes on the wire", () => {
  it("sends retry policy, owners, resources and priority as Luigi does (fixtures/disable.jsonl)", async () => {
    class AlwaysFails extends Task.params({ run_id: param.string() }) {
      retryCount = 2;
      disableWindow = 3600;
      owners = ["harness-owner@example.invalid"];
      resources = { harness_pool: 1 };
      priority = 7;
      run() {}
    }
    const [call] = await schedule(new AlwaysFails({ run_id: "h223040-e82133-disable" }));
    const luigi = recorded2("disable.jsonl").find((r) => r.request?.family === "AlwaysFails").request;
    expect(call.args.retry_policy_dict).toEqual(luigi.retry_policy_dict);
    expect(call.args.owners).toEqual(luigi.owners);
    expect(call.args.task_id).toBe(luigi.task_id);
    expect(call.args).toMatchObject({ resources: { harness_pool: 1 }, priority: 7 });
  });
});

describe("forcing", () => {
  const ids = (set: Set<string>) => [...set].map((id) => id.split("_")[0]).sort();

  it("--force takes the root and everything under it", () => {
    expect(forcedTaskIds([report()], { all: true, selectors: [] }).size).toBe(walkGraph([report()]).size);
  });

  it("--force-task takes the selected tasks and everything that depends on them, not their siblings", () => {
    const forced = forcedTaskIds([report()], { all: false, selectors: ["Load"] });
    expect(ids(forced)).toEqual(["Load", "Load", "Report"]);
    const one = new Transform({ run_id: "h223020-0f7daf-dag", day: "2024-02-29", shard: 1 });
    const byId = forcedTaskIds([report()], { all: false, selectors: [one.taskId] });
    expect([...byId].sort()).toEqual([one.taskId, new Load({ run_id: "h223020-0f7daf-dag", day: "2024-02-29" }).taskId, report().taskId].sort());
  });

  it("announces forced tasks as PENDING even when their outputs exist", async () => {
    const extract = new Extract({ run_id: "forced", day: "2024-03-01", shard: 0 });
    await extract.output().write("old");
    const plain = await schedule(extract);
    expect(plain[0].args.status).toBe("DONE");
    const forced = await schedule(extract, new ForcePolicy({ all: true, selectors: [] }, new Set([extract.taskId])));
    expect(forced[0].args).toMatchObject({ status: "PENDING", deps: [], runnable: true });
  });
});
