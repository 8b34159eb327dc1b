import { describe, expect, it } from "vitest";
import { describeTasks, parseRunArgs, taskParamsFromFlags, UsageError } from "./cli-args";
import { param } from "./parameters";
import { Task, type TaskClass } from "./task";

class AllDailyTask extends Task.params({
  service_id: param.string(),
  day: param.date(),
  dedupe: param.bool({ default: true }),
  tags: param.list({ default: [] }),
  mode: param.enum(["fast", "full"], { default: "full" }),
}) {
  run() {}
}
const cls = AllDailyTask as unknown as TaskClass;

const params = (argv: string[]) => taskParamsFromFlags(cls, parseRunArgs(argv).taskFlags);

describe("switchyard run arguments", () => {
  it("reads the runner's command line", () => {
    const a = parseRunArgs(["--module", "pipelines/demo/daily.ts", "AllDailyTask", "--service-id", "7", "--day", "2026-11-22", "--scheduler-url", "http://127.0.0.1:8082", "--force"]);
    expect(a).toMatchObject({ module: "pipelines/demo/daily.ts", family: "AllDailyTask", schedulerUrl: "http://127.0.0.1:8082", force: true, workers: 1 });
    expect(taskParamsFromFlags(cls, a.taskFlags)).toEqual({ service_id: "7", day: "2026-11-22" });
  });

  it("accepts --name=value, family-qualified names, bare and explicit booleans", () => {
    expect(params(["X", "--service-id=a", "--AllDailyTask-day", "2026-1-5", "--dedupe", "false", "--tags", '["x","y"]'])).toEqual({
      service_id: "a",
      day: "2026-01-05",
      dedupe: "False",
      tags: '["x", "y"]',
    });
    expect(params(["--service-id", "a", "--day", "2026-11-22", "--dedupe"]).dedupe).toBe("True");
  });

  it.each([
    [["--service-id", "a"], "missing required parameter --day for AllDailyTask (YYYY-MM-DD)"],
    [["--service-id", "a", "--day", "2026-13-01"], '--day: "2026-13-01" is not a date (expected YYYY-MM-DD)'],
    [["--service-id", "a", "--day", "2026-11-22", "--colour", "red"], "unknown parameter --colour for AllDailyTask (its parameters: --service-id, --day, --dedupe, --tags, --mode)"],
    [["--service-id", "a", "--day", "2026-11-22", "--mode", "slow"], '--mode: "slow" is not one of fast, full'],
    [["--service-id", "--day", "2026-11-22"], "--service-id needs a value (text)"],
  ])("rejects %j with one line naming the parameter", (argv, message) => {
    expect(() => params(argv)).toThrow(new UsageError(message));
  });

  it.each([
    [["--workers", "0"], '--workers must be a whole number from 1 to 64 (got "0")'],
    [["--workers", "two"], '--workers must be a whole number from 1 to 64 (got "two")'],
    [["--scheduler-url", "http://x", "--local-scheduler"], "use --scheduler-url or --local-scheduler, not both"],
    [["--force", "--force-task", "Load"], "use --force (everything) or --force-task (a selection), not both"],
    [["A", "B"], 'unexpected argument "B" (the task family is already A)'],
    [["--module"], "--module needs a value"],
  ])("rejects bad options %j", (argv, message) => {
    expect(() => parseRunArgs(argv)).toThrow(new UsageError(message));
  });

  it("collects several --force-task selectors", () => {
    expect(parseRunArgs(["--force-task", "Sessionize,LoadAccountDaily", "--force-task", "X_1_abc"]).forceTasks).toEqual(["Sessionize", "LoadAccountDaily", "X_1_abc"]);
  });

  it("lists a module's tasks and parameters for --help", () => {
    const text = describeTasks("m.ts", [cls], null);
    expect(text).toContain("AllDailyTask");
    expect(text).toMatch(/--service-id\s+\(text; required\)/);
    expect(text).toMatch(/--mode\s+\(fast\|full; default full\)/);
  });
});
