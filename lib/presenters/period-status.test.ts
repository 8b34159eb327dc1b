import { describe, expect, it } from "vitest";
import {
  addDays,
  dailyDueAt,
  dailyLetter,
  dateRange,
  doneByState,
  expectedDoneAt,
  hourlyDueAt,
  hourlyLetter,
  isIsoDate,
  letterForRun,
  localDate,
  periodLetter,
  zonedTimeToInstant,
  type Schedule,
} from "@/lib/presenters/period-status";
import { dailyPeriod, hourlyPeriod } from "@/lib/runner/schedule/periods";

const at = (iso: string) => Date.parse(iso);
const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  timeZone: "UTC",
  dailyTime: "02:00",
  hourlyMinute: 5,
  expectedDoneBy: null,
  enabled: true,
  paused: false,
  createdAt: at("2020-01-01T00:00:00Z"),
  ...over,
});

describe("letters", () => {
  it("maps every run status to the grid letter, lost counting as failed and cancelled as its own state", () => {
    expect(letterForRun("done")).toBe("D");
    expect(letterForRun("running")).toBe("R");
    expect(letterForRun("queued")).toBe("P");
    expect(letterForRun("failed")).toBe("F");
    expect(letterForRun("lost")).toBe("F");
    expect(letterForRun("cancelled")).toBe("C");
  });

  it("shows the latest run's letter whether or not the period is due", () => {
    const s = schedule();
    expect(periodLetter("failed", s, at("2026-11-22T02:00:00Z"), at("2026-11-22T01:00:00Z"))).toBe("F");
  });

  it("marks a period without a run missing once its due time has passed, and – before", () => {
    const s = schedule({ timeZone: "America/New_York", dailyTime: "06:30" });
    // the day's run is due at 06:30 the next morning in New York (EST, UTC-5): 11:30 UTC on the 23rd
    expect(dailyLetter(s, "2026-11-22", null, at("2026-11-23T11:29:59Z"))).toBe("–");
    expect(dailyLetter(s, "2026-11-22", null, at("2026-11-23T11:30:00Z"))).toBe("M");
  });

  it("never calls a period missing for a disabled or paused service, or one created after the due time", () => {
    const now = at("2026-11-24T12:00:00Z");
    expect(dailyLetter(schedule({ enabled: false }), "2026-11-22", null, now)).toBe("–");
    expect(dailyLetter(schedule({ paused: true }), "2026-11-22", null, now)).toBe("–");
    expect(dailyLetter(schedule({ createdAt: at("2026-11-23T03:00:00Z") }), "2026-11-22", null, now)).toBe("–");
    expect(dailyLetter(schedule({ createdAt: at("2026-11-23T01:00:00Z") }), "2026-11-22", null, now)).toBe("M");
  });

  it("dues an hourly period at its minute past the next hour, local to the service", () => {
    const s = schedule({ timeZone: "Asia/Kolkata", hourlyMinute: 15 }); // UTC+05:30, no DST
    // hour 09 local is 03:30Z-04:30Z; due at 10:15 local = 04:45Z
    expect(new Date(hourlyDueAt(s, "2026-11-22", 9)).toISOString()).toBe("2026-11-22T04:45:00.000Z");
    expect(hourlyLetter(s, "2026-11-22", 9, null, at("2026-11-22T04:44:00Z"))).toBe("–");
    expect(hourlyLetter(s, "2026-11-22", 9, null, at("2026-11-22T04:45:00Z"))).toBe("M");
  });
});

describe("time zones", () => {
  it("finds the service-local date on either side of midnight", () => {
    expect(localDate(at("2026-11-22T10:30:00Z"), "Pacific/Auckland")).toBe("2026-11-22"); // 23:30 NZDT
    expect(localDate(at("2026-11-22T11:30:00Z"), "Pacific/Auckland")).toBe("2026-11-23"); // 00:30 NZDT
    expect(localDate(at("2026-11-22T04:59:00Z"), "America/New_York")).toBe("2026-11-21");
    expect(localDate(at("2026-11-22T05:00:00Z"), "America/New_York")).toBe("2026-11-22");
  });

  it("uses each date's own offset across a daylight-saving change", () => {
    const s = schedule({ timeZone: "Europe/Berlin", dailyTime: "02:30" });
    expect(new Date(dailyDueAt(s, "2026-10-23")).toISOString()).toBe("2026-10-24T00:30:00.000Z"); // CEST
    expect(new Date(dailyDueAt(s, "2026-10-25")).toISOString()).toBe("2026-10-26T01:30:00.000Z"); // CET
  });

  it("takes the earlier instant of a local time that happens twice (fall back)", () => {
    // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST) in New York
    expect(new Date(zonedTimeToInstant("2026-11-01", 90, "America/New_York")).toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("moves a local time that does not exist (spring forward) forward by the gap", () => {
    // 2026-03-08 02:30 does not exist in New York; 03:30 EDT is 07:30Z
    expect(new Date(zonedTimeToInstant("2026-03-08", 150, "America/New_York")).toISOString()).toBe("2026-03-08T07:30:00.000Z");
    // southern hemisphere: Sydney springs forward on 2026-10-04 at 02:00 (+10 → +11)
    expect(new Date(zonedTimeToInstant("2026-10-04", 150, "Australia/Sydney")).toISOString()).toBe("2026-10-03T16:30:00.000Z");
  });

  it("never expects the hour a spring-forward change skips", () => {
    const s = schedule({ timeZone: "America/New_York", hourlyMinute: 0 });
    const later = at("2026-03-09T00:00:00Z");
    expect(hourlyLetter(s, "2026-03-08", 2, null, later)).toBe("–");
    expect(hourlyLetter(s, "2026-03-08", 3, null, later)).toBe("M");
    expect(hourlyLetter(s, "2026-03-08", 2, "done", later)).toBe("D");
  });

  it("handles zones far from UTC and half-hour offsets", () => {
    expect(new Date(zonedTimeToInstant("2026-11-22", 0, "Pacific/Kiritimati")).toISOString()).toBe("2026-11-21T10:00:00.000Z"); // +14
    expect(new Date(zonedTimeToInstant("2026-11-22", 0, "Pacific/Pago_Pago")).toISOString()).toBe("2026-11-22T11:00:00.000Z"); // -11
    expect(new Date(zonedTimeToInstant("2026-11-22", 60, "Asia/Kathmandu")).toISOString()).toBe("2026-11-21T19:15:00.000Z"); // +5:45
  });
});

describe("agreement with the runner", () => {
  it("dues every period exactly when the runner queues it, across zones and daylight-saving changes", () => {
    for (const timeZone of ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kathmandu", "Pacific/Auckland"]) {
      const s = schedule({ timeZone, dailyTime: "02:30", hourlyMinute: 7 });
      for (const date of ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-11-22"]) {
        expect(dailyDueAt(s, date), `${timeZone} ${date}`).toBe(dailyPeriod(s, date)!.dueAt.getTime());
        for (const hour of [0, 9, 23]) {
          const period = hourlyPeriod(s, date, hour);
          if (period) expect(hourlyDueAt(s, date, hour), `${timeZone} ${date}T${hour}`).toBe(period.dueAt.getTime());
        }
      }
    }
  });
});

describe("expected done by", () => {
  it("is on the day the run is due when later than the daily time, else the morning after", () => {
    const sameDay = schedule({ timeZone: "UTC", dailyTime: "02:00", expectedDoneBy: "06:00" });
    expect(new Date(expectedDoneAt(sameDay, "2026-11-22")!).toISOString()).toBe("2026-11-23T06:00:00.000Z");
    const overnight = schedule({ timeZone: "UTC", dailyTime: "23:00", expectedDoneBy: "01:00" });
    expect(new Date(expectedDoneAt(overnight, "2026-11-22")!).toISOString()).toBe("2026-11-24T01:00:00.000Z");
    expect(expectedDoneAt(schedule(), "2026-11-22")).toBeNull();
  });

  it("is met by a run done in time, missed by a late or unfinished one, open before the deadline", () => {
    const deadline = at("2026-11-22T06:00:00Z");
    const now = at("2026-11-22T07:00:00Z");
    expect(doneByState(deadline, { status: "done", finishedAt: at("2026-11-22T05:59:00Z") }, now)).toBe("met");
    expect(doneByState(deadline, { status: "done", finishedAt: at("2026-11-22T06:01:00Z") }, now)).toBe("missed");
    expect(doneByState(deadline, { status: "running", finishedAt: null }, now)).toBe("missed");
    expect(doneByState(deadline, null, now)).toBe("missed");
    expect(doneByState(deadline, { status: "running", finishedAt: null }, at("2026-11-22T05:00:00Z"))).toBe("open");
    expect(doneByState(null, null, now)).toBe("none");
  });
});

describe("dates", () => {
  it("adds days across month and leap-year ends, and lists ranges inclusively", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(dateRange("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
  });

  it("accepts only real calendar dates", () => {
    expect(isIsoDate("2026-11-22")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-11-22T00:00")).toBe(false);
  });
});
