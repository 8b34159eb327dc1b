import { describe, expect, it } from "vitest";
import type { ClaimedRun } from "@/lib/db/runs/claim-runs";
import { planLaunch } from "@/lib/runner/launch-plan";
import { demoCommands, demoRootTaskId } from "@/pipelines/demo/fleet";
import { taskIdStr } from "@/lib/pipeline/task-id";

// What a claimed run turns into: every placeholder filled, force and from-task expressed the
// service's way, the root task the scheduler will know it by.

function claimed(over: Partial<ClaimedRun> = {}): ClaimedRun {
  return {
    id: 42, serviceId: 1, serviceName: "northwind-traders", kind: "daily", periodStart: new Date(), periodDate: "2026-11-22", periodHour: null,
    attempt: 2, trigger: "manual", force: false, status: "running", queuePriority: 0, requestKey: null, requestedBy: null, reason: null, command: null,
    fromTask: null, queuedAt: new Date(), notBefore: new Date(), startedAt: null, lastUpdateAt: null, finishedAt: null, exitCode: null, host: null,
    runnerId: null, pid: null, logPath: null, rootTaskId: null, error: null, cpuSeconds: null, peakMemoryBytes: null,
    service: {
      name: "northwind-traders", timeZone: "America/New_York", dailyCommand: demoCommands.daily, hourlyCommand: demoCommands.hourly,
      environment: { RUN_FOR: "{service}/{period}", FORCED: "{force}" }, labels: {}, timeoutSeconds: 60, forceArgument: demoCommands.force,
      fromTaskArgument: demoCommands.forceTask, dailyRootTask: null, hourlyRootTask: null, workingDirectory: null,
    },
    ...over,
  };
}
const opts = { schedulerUrl: "http://127.0.0.1:8082", logDir: "/tmp/logs" };

describe("planLaunch", () => {
  it("fills the daily command, the environment and the run's variables, and finds the demo's root task", () => {
    const plan = planLaunch(claimed(), opts);
    expect(plan.rendered.display).toBe("node bin/switchyard.mjs run --module pipelines/demo/daily.ts AllDailyTask --service-id northwind-traders --day 2026-11-22 --scheduler-url http://127.0.0.1:8082");
    expect(plan.spec.env).toMatchObject({ RUN_FOR: "northwind-traders/2026-11-22", FORCED: "false", SWITCHYARD_RUN_ID: "42", SWITCHYARD_PERIOD: "2026-11-22" });
    expect(plan.spec.logPath).toBe("/tmp/logs/run-42.log");
    expect(plan.rootTask).toEqual({ family: "AllDailyTask", params: { service_id: "northwind-traders", day: "2026-11-22" } });
    expect(taskIdStr(plan.rootTask!.family, plan.rootTask!.params)).toBe(demoRootTaskId("daily", "northwind-traders", "2026-11-22"));
  });

  it("gives the worker the scheduler's credentials but never shows them in the displayed command", () => {
    const plan = planLaunch(claimed(), { ...opts, schedulerUrl: "http://luigi:s3cret@127.0.0.1:8082" });
    expect(plan.spec.argv).toContain("http://luigi:s3cret@127.0.0.1:8082");
    expect(plan.rendered.display).toContain("--scheduler-url http://luigi:***@127.0.0.1:8082");
    expect(plan.rendered.display).not.toContain("s3cret");
  });

  it("hourly runs get {hour} as YYYY-MM-DDTHH; force and from-task add their arguments", () => {
    const plan = planLaunch(claimed({ kind: "hourly", periodHour: 7, force: true, fromTask: "LoadHourlyRollup" }), opts);
    expect(plan.spec.argv).toEqual(expect.arrayContaining(["--hour", "2026-11-22T07", "--force", "--force-task", "LoadHourlyRollup"]));
    expect(plan.spec.period).toBe("2026-11-22T07");
    expect(plan.rootTask).toEqual({ family: "AllHourlyTask", params: { service_id: "northwind-traders", hour: "2026-11-22T07" } });
  });

  it("a Python Luigi command line is understood the same way", () => {
    const plan = planLaunch(
      claimed({ service: { ...claimed().service, dailyCommand: "luigi --module acme.pipelines DailyReport --customer {service} --date {day} --scheduler-url {scheduler_url} --workers 2" } }),
      opts,
    );
    expect(plan.spec.argv.slice(0, 4)).toEqual(["luigi", "--module", "acme.pipelines", "DailyReport"]);
    expect(plan.rootTask).toEqual({ family: "DailyReport", params: { customer: "northwind-traders", date: "2026-11-22" } });
  });
});
