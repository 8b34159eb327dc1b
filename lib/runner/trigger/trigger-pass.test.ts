import { describe, expect, it } from "vitest";
import { periodsToQueue } from "@/lib/runner/trigger/trigger-pass";

// The trigger's windows: the catch-up window on a runner's first pass, then seamless passes.

const tokyo = { serviceId: 1, name: "t", timeZone: "Asia/Tokyo", dailyTime: "02:00", hourlyEnabled: true, hourlyMinute: 5 };
const at = (iso: string) => new Date(iso);

describe("periodsToQueue", () => {
  it("on the first pass queues missed daily periods of the last N days and hourly ones of the last N hours", () => {
    // 2026-11-22 12:00 UTC is 21:00 in Tokyo
    const due = periodsToQueue(tokyo, at("2026-11-22T12:00:00Z"), null, { days: 3, hours: 2 });
    expect(due.filter((p) => p.kind === "daily").map((p) => p.date)).toEqual(["2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(due.filter((p) => p.kind === "hourly").map((p) => p.hour)).toEqual([18, 19]);
  });

  it("with no catch-up queues nothing at start, then every period as it comes due, however the passes fall", () => {
    const start = Date.parse("2026-11-22T00:00:00Z");
    expect(periodsToQueue(tokyo, new Date(start), null, { days: 0, hours: 0 })).toEqual([]);
    const seen: string[] = [];
    let after = new Date(start);
    for (let t = start + 7 * 60_000; t <= start + 86_400_000; t += 7 * 60_000 + (t % 5) * 1000) {
      for (const p of periodsToQueue(tokyo, new Date(t), after, { days: 0, hours: 0 })) seen.push(`${p.kind}:${p.start.toISOString()}`);
      after = new Date(t);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((k) => k.startsWith("daily"))).toHaveLength(1);
    expect(seen.filter((k) => k.startsWith("hourly")).length).toBeGreaterThanOrEqual(23);
  });
});
