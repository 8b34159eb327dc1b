import { describe, expect, it } from "vitest";
import { backfillRequest, cancelRequest, periodOf, rerunRequest, rerunSentence, taskActionRequest, withIntent, type RunRef } from "@/components/actions/action-requests";

const daily: RunRef = { id: 7, serviceName: "acme-corp", kind: "daily", periodDate: "2026-11-22", periodHour: null };
const hourly: RunRef = { id: 8, serviceName: "acme-corp", kind: "hourly", periodDate: "2026-11-22", periodHour: 5 };

describe("operator action requests", () => {
  it("name the period the way the control API expects", () => {
    expect(periodOf(daily)).toBe("2026-11-22");
    expect(periodOf(hourly)).toBe("2026-11-22T05");
    expect(rerunRequest(hourly, { force: true })).toMatchObject({ url: "/api/v1/runs", body: { service: "acme-corp", kind: "hourly", period: "2026-11-22T05", force: true } });
  });

  it("send one request key per dialog to endpoints that take one, and only a reason to the others", () => {
    const rerun = withIntent(rerunRequest(daily), "  disk was full ", "key-1");
    expect(rerun.body).toEqual({ service: "acme-corp", kind: "daily", period: "2026-11-22", reason: "disk was full", requestKey: "key-1" });
    // cancel and pause are strict about their body: { reason? } only
    expect(withIntent(cancelRequest(daily), "", "key-2")).toEqual({ url: "/api/v1/runs/7/cancel", body: {} });
    expect(withIntent(backfillRequest({ service: "acme-corp", kind: "daily", from: "2026-11-01", to: "2026-11-03", force: false }, false), "", "k").body).toEqual({
      service: "acme-corp",
      kind: "daily",
      from: "2026-11-01",
      to: "2026-11-03",
      requestKey: "k",
    });
  });

  it("say exactly what will happen", () => {
    expect(rerunSentence(daily)).toBe("Queue a new daily run of acme-corp for 2026-11-22: tasks already done are kept, the rest run again. A runner starts it when one is free.");
    expect(rerunSentence(hourly, { fromTask: "ComputeMetrics_x" })).toContain("Queue a new hourly run of acme-corp for 2026-11-22 05:00, starting again from the task ComputeMetrics_x");
  });

  it("escape task ids in the URL", () => {
    expect(taskActionRequest("Report(a=1)/x", "mark-done").url).toBe("/api/v1/tasks/Report(a%3D1)%2Fx/mark-done");
  });
});
