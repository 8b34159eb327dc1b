import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../paths";
import { param } from "./parameters";
import { Task } from "./task";
import { taskIdStr } from "./task-id";

// Task ids must agree with Python Luigi's for the same family and parameters, or a TypeScript task
// and its Python twin would be two different tasks in the scheduler. The vectors are the real ids
// from recorded luigid traffic (Luigi 3.8.1).

const fixtures = path.join(repoRoot, "spec/luigi-protocol/fixtures");

type AddTask = { task_id: string; family: string; params: Record<string, string>; param_visibilities: Record<string, number> | null };

function recordedAddTasks(file: string): AddTask[] {
  return fs
    .readFileSync(path.join(fixtures, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.method === "add_task" && r.request?.family && r.request?.params)
    .map((r) => r.request as AddTask);
}

// The harness's tasks (dag.jsonl), declared in TypeScript with the same parameter types.
class Extract extends Task.params({ run_id: param.string(), day: param.date(), shard: param.int() }) {}
class Transform extends Task.params({ run_id: param.string(), day: param.date(), shard: param.int(), dedupe: param.bool({ default: true }) }) {}
class Load extends Task.params({
  run_id: param.string(),
  day: param.date(),
  shards: param.int({ default: 2 }),
  dedupe: param.bool({ default: true }),
  verbose: param.bool({ default: false, significant: false }),
}) {}
class Report extends Task.params({
  run_id: param.string(),
  day: param.date(),
  days_back: param.int({ default: 1 }),
  dedupe: param.bool({ default: true }),
  tags: param.list<string>({ default: ["daily", "harness"] }),
  note: param.string({ default: "hidden-note", visibility: "hidden" }),
  secret: param.string({ default: "never-sent", visibility: "private" }),
}) {}
class Summary extends Task.params({ run_id: param.string(), day: param.date() }) {}

const classes: Record<string, typeof Extract | typeof Transform | typeof Load | typeof Report | typeof Summary> = { Extract, Transform, Load, Report, Summary };

describe("task ids agree with Python Luigi", () => {
  const dag = recordedAddTasks("dag.jsonl");

  it("has vectors for every family of the DAG scenario", () => {
    expect(new Set(dag.map((r) => r.family))).toEqual(new Set(Object.keys(classes)));
  });

  it.each(dag.map((r) => [r.task_id, r] as const))("%s from typed values", (_id, recorded) => {
    const cls = classes[recorded.family];
    const task = cls.fromStrParams(recorded.params);
    expect(task.taskId).toBe(recorded.task_id);
    // what we send must equal what Luigi sent: every non-private param as its string, in order
    expect(task.toStrParams()).toEqual(recorded.params);
    expect(Object.keys(task.toStrParams())).toEqual(Object.keys(recorded.params));
    expect(task.paramVisibilities()).toEqual(recorded.param_visibilities);
  });

  it("builds the Report id from typed values given in code", () => {
    const report = new Report({ run_id: "h223020-0f7daf-dag", day: new Date(Date.UTC(2024, 2, 1)), days_back: 1, tags: ["daily", "harness"] });
    expect(report.taskId).toBe("Report_2024_03_01_1_True_fab2747cb0");
    expect(report.toStrParams().tags).toBe('["daily", "harness"]');
    expect(report.toStrParams()).not.toHaveProperty("secret");
  });

  it("leaves hidden and insignificant parameters out of the id, but not out of params", () => {
    const a = new Load({ run_id: "r", day: "2024-03-01", verbose: false });
    const b = new Load({ run_id: "r", day: "2024-03-01", verbose: true });
    expect(a.taskId).toBe(b.taskId);
    expect(b.toStrParams().verbose).toBe("True");
    const hidden1 = new Report({ run_id: "r", day: "2024-03-01", note: "x" });
    const hidden2 = new Report({ run_id: "r", day: "2024-03-01", note: "y" });
    expect(hidden1.taskId).toBe(hidden2.taskId);
  });

  it("matches every real Luigi id recorded in any fixture", () => {
    const insignificant: Record<string, string[]> = { Load: ["verbose"] };
    let checked = 0;
    for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith(".jsonl"))) {
      for (const r of recordedAddTasks(file)) {
        if (r.family === "Probe") continue; // hand-made ids in transport-errors.jsonl, not computed by Luigi
        const significant = Object.fromEntries(
          Object.entries(r.params).filter(([k]) => (r.param_visibilities?.[k] ?? 0) === 0 && !insignificant[r.family]?.includes(k)),
        );
        expect(taskIdStr(r.family, significant), `${file}: ${r.task_id}`).toBe(r.task_id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("task id details", () => {
  it("escapes non-ASCII like Python's json.dumps before hashing and cuts by code point", () => {
    // python3 -c 'import json,hashlib;p={"name":"café ☕ 😀"};print(hashlib.md5(json.dumps(p,separators=(",",":"),sort_keys=True).encode()).hexdigest()[:10])'
    expect(taskIdStr("T", { name: "café ☕ 😀" })).toBe("T_caf______dde62febf3");
  });

  it("uses no summary for a task without parameters", () => {
    // python3: luigi.task.task_id_str("Nothing", {}) == "Nothing__99914b932b"
    expect(taskIdStr("Nothing", {})).toBe("Nothing__99914b932b");
  });
});
