import { describe, expect, it } from "vitest";
import { dailyPeriod, duePeriods, hourlyPeriod, localDate, periodsOnDates, type Period, type Schedule } from "@/lib/runner/schedule/periods";
import { addWallDays, formatWallDate, offsetAt, parseWallDate, resolveWallTime, wallTimeAt } from "@/lib/time/zoned-time";

const sched = (timeZone: string, dailyTime = "02:30", hourlyMinute = 5): Schedule => ({ timeZone, dailyTime, hourlyEnabled: true, hourlyMinute });
const iso = (d: Date) => d.toISOString();
const hoursOn = (s: Schedule, date: string) => periodsOnDates(s, "hourly", date, date);

describe("periods in a zone with daylight saving (America/New_York, 2026)", () => {
  const ny = sched("America/New_York");

  it("a spring-forward day has 23 hourly periods and no 02:00", () => {
    const hours = hoursOn(ny, "2026-03-08");
    expect(hours.map((p) => p.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    expect(hourlyPeriod(ny, "2026-03-08", 2)).toBeNull();
  });

  it("a fall-back day has 25 hourly periods, 01:00 twice with distinct starts", () => {
    const hours = hoursOn(ny, "2026-11-01");
    expect(hours).toHaveLength(25);
    const ones = hours.filter((p) => p.hour === 1);
    expect(ones.map((p) => iso(p.start))).toEqual(["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z"]);
    expect(iso(hourlyPeriod(ny, "2026-11-01", 1)!.start)).toBe("2026-11-01T05:00:00.000Z");
  });

  it("the daily period starts at local midnight and is due at the daily time of the next day", () => {
    const p = dailyPeriod(ny, "2026-11-22")!;
    expect(iso(p.start)).toBe("2026-11-22T05:00:00.000Z");
    expect(iso(p.dueAt)).toBe("2026-11-23T07:30:00.000Z");
  });

  it("a daily time that does not exist on the spring-forward night moves forward by the gap", () => {
    // 2026-03-08 02:30 never happens in New York; the run for 03-07 is due at 03:30 EDT.
    expect(iso(dailyPeriod(ny, "2026-03-07")!.dueAt)).toBe("2026-03-08T07:30:00.000Z");
  });

  it("a daily time that happens twice on the fall-back night is due at its first occurrence", () => {
    const p = dailyPeriod(sched("America/New_York", "01:30"), "2026-10-31")!;
    expect(iso(p.dueAt)).toBe("2026-11-01T05:30:00.000Z");
  });
});

describe("zones without whole-hour offsets or with odd transitions", () => {
  it("Asia/Kolkata (+05:30) hours start at half past in UTC", () => {
    const hours = hoursOn(sched("Asia/Kolkata"), "2026-06-01");
    expect(hours).toHaveLength(24);
    expect(iso(hours[0].start)).toBe("2026-05-31T18:30:00.000Z");
  });

  it("Australia/Lord_Howe's 30-minute shift: 23 hour boundaries in spring, 24 in autumn", () => {
    const lh = sched("Australia/Lord_Howe");
    expect(hoursOn(lh, "2026-10-04").map((p) => p.hour)).not.toContain(2);
    expect(hoursOn(lh, "2026-10-04")).toHaveLength(23);
    expect(hoursOn(lh, "2026-04-05")).toHaveLength(24);
  });

  it("Pacific/Apia skipped 2011-12-30: that date has no period, and its neighbours are due once each", () => {
    const apia = sched("Pacific/Apia");
    expect(dailyPeriod(apia, "2011-12-30")).toBeNull();
    const due = duePeriods({ ...apia, hourlyEnabled: false }, new Date("2011-12-27T00:00:00Z"), new Date("2012-01-03T00:00:00Z"));
    expect(due.map((p) => p.date)).toEqual(["2011-12-26", "2011-12-27", "2011-12-28", "2011-12-29", "2011-12-31", "2012-01-01", "2012-01-02"]);
  });
});

describe("a range of dates", () => {
  it("ends at its last date, even at the end of 9999 (as text, '10000-01-01' sorts before it: the loop ran for minutes)", () => {
    expect(periodsOnDates(sched("UTC"), "daily", "9999-12-30", "9999-12-31").map((p) => p.date)).toEqual(["9999-12-30", "9999-12-31"]);
    expect(periodsOnDates(sched("UTC"), "daily", "2026-03-02", "2026-03-01")).toEqual([]);
  });
});

describe("every time zone: days around each 2026 offset change, and two ordinary days", () => {
  const zones = Intl.supportedValuesOf("timeZone");

  it("knows a few hundred zones (the test below is not vacuous)", () => {
    expect(zones.length).toBeGreaterThan(300);
    expect(zones).toContain("America/Santiago");
  });

  it("holds the period invariants in every zone", () => {
    const problems: string[] = [];
    let transitions = 0;
    for (const zone of zones) {
      const dates = datesToCheck(zone);
      transitions += dates.size - 2;
      for (const date of dates) problems.push(...checkDate(zone, date));
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // Dozens of zones keep daylight saving in 2026; if none were found the scan is broken.
    expect(transitions).toBeGreaterThan(100);
  });

  it("queues each period exactly once however the time is cut into trigger windows", () => {
    const problems: string[] = [];
    for (const zone of zones) {
      for (const date of datesToCheck(zone)) {
        const s = sched(zone, "02:30", 0);
        const from = dailyPeriod(s, date)!.start.getTime();
        const end = from + 2 * 86_400_000;
        const whole = duePeriods(s, new Date(from), new Date(end));
        const pieces: Period[] = [];
        // Windows of 7 to 200 minutes: they start and end on and off period boundaries.
        for (let t = from, step = 7; t < end; t += step * 60_000, step = (step * 37) % 200 || 7) {
          pieces.push(...duePeriods(s, new Date(t), new Date(Math.min(t + step * 60_000, end))));
        }
        const a = whole.map(key);
        const b = pieces.map(key);
        if (a.join() !== b.join()) problems.push(`${zone} ${date}: windows gave ${b.length} periods, the whole range ${a.length}`);
        if (new Set(a).size !== a.length) problems.push(`${zone} ${date}: a period is due twice`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});

const key = (p: Period) => `${p.kind}@${iso(p.start)}`;

/** Local dates of 2026 on which the zone's offset changes, plus two ordinary dates. */
function datesToCheck(zone: string): Set<string> {
  const out = new Set(["2026-01-15", "2026-07-15"]);
  const start = Date.UTC(2026, 0, 1, 12);
  let previous = offsetAt(zone, start);
  for (let day = 1; day <= 365; day++) {
    const t = start + day * 86_400_000;
    const offset = offsetAt(zone, t);
    if (offset !== previous) {
      for (let back = 0; back <= 2; back++) out.add(localDate(zone, t - back * 86_400_000));
      previous = offset;
    }
  }
  return out;
}

function checkDate(zone: string, date: string): string[] {
  const problems: string[] = [];
  const s = sched(zone);
  const day = dailyPeriod(s, date);
  if (!day) return [`${zone} ${date}: no daily period`];
  const next = dailyPeriod(s, formatWallDate(addWallDays(parseWallDate(date)!, 1)))!;
  // The period starts at the first instant of the local date.
  if (localDate(zone, day.start) !== date || localDate(zone, day.start.getTime() - 1) === date) problems.push(`${zone} ${date}: start ${iso(day.start)} is not the first instant of the day`);
  // It is due at the daily time on the next local date, or just after a gap that swallowed it.
  const due = wallTimeAt(zone, day.dueAt);
  const dueExact = resolveWallTime(zone, { ...addWallDays(parseWallDate(date)!, 1), hour: 2, minute: 30 }).exact;
  if (localDate(zone, day.dueAt) !== next.date) problems.push(`${zone} ${date}: due on ${localDate(zone, day.dueAt)}`);
  if (dueExact !== "gap" && (due.hour !== 2 || due.minute !== 30)) problems.push(`${zone} ${date}: due at ${due.hour}:${due.minute}`);
  // Hourly periods tile the day: they start on the hour, in order, on this date, and cover it.
  const hours = hoursOn(s, date);
  const length = (next.start.getTime() - day.start.getTime()) / 3_600_000;
  if (hours.length !== Math.floor(length) && hours.length !== Math.ceil(length)) problems.push(`${zone} ${date}: ${hours.length} hours in a ${length} h day`);
  if (hours[0]?.start.getTime() !== day.start.getTime()) problems.push(`${zone} ${date}: first hour does not start the day`);
  for (let i = 0; i < hours.length; i++) {
    const w = wallTimeAt(zone, hours[i].start);
    if (w.minute !== 0 || hours[i].date !== date) problems.push(`${zone} ${date}: hour ${iso(hours[i].start)} is not on the hour of this date`);
    if (i > 0 && hours[i].start <= hours[i - 1].start) problems.push(`${zone} ${date}: hours out of order`);
    const first = hours.find((h) => h.hour === hours[i].hour)!;
    if (hourlyPeriod(s, date, hours[i].hour!)?.start.getTime() !== first.start.getTime()) problems.push(`${zone} ${date}: hourlyPeriod(${hours[i].hour}) disagrees`);
  }
  return problems;
}
