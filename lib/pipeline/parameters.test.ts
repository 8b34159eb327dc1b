import { describe, expect, it } from "vitest";
import { DateInterval } from "./date-interval";
import { param, ParameterValueError } from "./parameters";
import { pyFloatRepr, pyJsonDumps, parsePythonJson } from "./python-format";
import { Task, TaskParameterError } from "./task";

// Serialisations checked against Python 3.11 / Luigi 3.8.1 output (the expected strings were
// produced with repr(), json.dumps() and the luigi.*Parameter serialize() methods).

describe("Python formats", () => {
  it.each([
    [1e16, "1e+16"],
    [1e-5, "1e-05"],
    [123456789.125, "123456789.125"],
    [0.1, "0.1"],
    [1.5e300, "1.5e+300"],
    [-2, "-2.0"],
    [0.0001, "0.0001"],
    [1, "1.0"],
    [2.5e-7, "2.5e-07"],
    [123e15, "1.23e+17"],
  ])("repr(%s) is %s", (n, text) => expect(pyFloatRepr(n)).toBe(text));

  it("dumps JSON with Python's separators and ASCII escapes", () => {
    expect(pyJsonDumps(["a", 1, 2.5, true, null, { k: "é" }])).toBe('["a", 1, 2.5, true, null, {"k": "\\u00e9"}]');
    expect(pyJsonDumps({ b: 1, a: [1, 2] }, { compact: true, sortKeys: true })).toBe('{"a":[1,2],"b":1}');
  });

  it("reads Python's bare Infinity and NaN without touching strings", () => {
    expect(parsePythonJson('{"a": Infinity, "b": "NaN Infinity", "c": -Infinity, "d": NaN}')).toEqual({ a: null, b: "NaN Infinity", c: null, d: null });
  });
});

describe("parameters", () => {
  it("serialise like Luigi", () => {
    expect(param.bool().serialize(true)).toBe("True");
    expect(param.int().serialize(7)).toBe("7");
    expect(param.float().serialize(3)).toBe("3.0");
    expect(param.date().serialize(param.date().parse("2026-1-5"))).toBe("2026-01-05");
    expect(param.dateHour().serialize(param.dateHour().parse("2026-11-22T7"))).toBe("2026-11-22T07");
    expect(param.list().serialize(["daily", 2, { x: "é" }])).toBe('["daily", 2, {"x": "\\u00e9"}]');
    expect(param.enum(["fast", "slow"]).parse("slow")).toBe("slow");
  });

  it("reject bad text with a message that says what was expected", () => {
    expect(() => param.date().parse("2026-02-30")).toThrow(/"2026-02-30" is not a date \(expected YYYY-MM-DD\)/);
    expect(() => param.int().parse("1.5")).toThrow(ParameterValueError);
    expect(() => param.bool().parse("yes")).toThrow(/true or false/);
    expect(() => param.enum(["a", "b"]).parse("c")).toThrow(/one of a, b/);
    expect(() => param.list().parse("{}")).toThrow(/JSON list/);
    expect(() => param.dateHour().parse("2026-11-22T24")).toThrow(/YYYY-MM-DDTHH/);
  });

  it.each([
    ["2026-11-22", "date", "2026-11-22", "2026-11-23"],
    ["2026-W47", "week", "2026-11-16", "2026-11-23"],
    ["2026-W01", "week", "2025-12-29", "2026-01-05"],
    ["2026-11", "month", "2026-11-01", "2026-12-01"],
    ["2026-12", "month", "2026-12-01", "2027-01-01"],
    ["2026", "year", "2026-01-01", "2027-01-01"],
    ["2026-11-01-2026-11-08", "custom", "2026-11-01", "2026-11-08"],
  ])("date interval %s", (text, kind, a, b) => {
    const i = param.dateInterval().parse(text);
    expect(i.kind).toBe(kind);
    expect([i.dateA.toISOString().slice(0, 10), i.dateB.toISOString().slice(0, 10)]).toEqual([a, b]);
    expect(i.toString()).toBe(text);
  });

  it("round-trips ISO weeks across year boundaries", () => {
    expect(DateInterval.parse("2020-W53")!.toString()).toBe("2020-W53");
    expect(DateInterval.parse("2021-W53")).toBeNull();
    expect(DateInterval.parse("2026-W47")!.dates()).toHaveLength(7);
  });
});

describe("task parameters", () => {
  class Daily extends Task.params({ service_id: param.string(), day: param.date(), n: param.int({ default: 3 }) }) {}

  it("fills defaults and exposes typed fields", () => {
    const t = new Daily({ service_id: "acme", day: "2026-11-22" });
    expect(t.n).toBe(3);
    expect(t.day.toISOString()).toBe("2026-11-22T00:00:00.000Z");
    expect(t.toString()).toBe("Daily(service_id=acme, day=2026-11-22, n=3)");
  });

  it("names the parameter that is missing, unknown or unparsable", () => {
    expect(() => new Daily({ day: "2026-11-22" } as never)).toThrow(new TaskParameterError("Daily", "service_id", "missing (it has no default)"));
    expect(() => new Daily({ service_id: "a", day: "2026-11-22", nn: 1 } as never)).toThrow(/Daily: parameter nn: unknown parameter/);
    expect(() => Daily.fromStrParams({ service_id: "a", day: "22/11/2026" })).toThrow(/Daily: parameter day: "22\/11\/2026" is not a date/);
  });

  it("refuses parameter names that would shadow task members", () => {
    expect(() => Task.params({ output: param.string() })).toThrow(/clashes with a Task member/);
    expect(() => Task.params({ priority: param.int() })).toThrow(/clashes/);
  });

  it("lets attributes depend on parameters", () => {
    class Prioritised extends Task.params({ urgent: param.bool({ default: false }) }) {
      priority = this.urgent ? 50 : 0;
    }
    expect(new Prioritised({ urgent: true }).priority).toBe(50);
    expect(new Prioritised().priority).toBe(0);
  });
});
