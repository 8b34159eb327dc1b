import { describe, expect, it } from "vitest";
import { encodeJson, encodeEnvelope, parsePythonJson } from "@/lib/scheduler/http/python-json";

describe("Python-flavoured JSON", () => {
  it("parses the non-standard tokens Python writes, only outside strings", () => {
    expect(parsePythonJson('{"a": Infinity, "b": -Infinity, "c": [NaN], "d": "Infinity NaN"}')).toEqual({ a: Infinity, b: -Infinity, c: [NaN], d: "Infinity NaN" });
    expect(() => parsePythonJson('{"a": Infinityx}')).toThrow(/not valid JSON/);
    expect(() => parsePythonJson("[".repeat(600) + "]".repeat(600))).toThrow(/deeper than/);
  });

  it("writes what Python's json.dumps and Tornado write", () => {
    expect(encodeJson({ a: [1, 2.5, null], "k\u00e9y": "</script> \ud83d\ude00", m: new Map([["10", true], ["2", false]]) })).toBe('{"a": [1, 2.5, null], "k\\u00e9y": "<\\/script> \\ud83d\\ude00", "m": {"10": true, "2": false}}');
    const big = new Map(Array.from({ length: 600 }, (_, i) => [`t${i}`, { i }]));
    expect(JSON.parse(Buffer.concat(encodeEnvelope(big)).toString()).response.t599).toEqual({ i: 599 });
  });
});
