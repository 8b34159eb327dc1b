import { describe, expect, it } from "vitest";
import { encodeJson, encodeEnvelope, parsePythonJson, quote } from "@/lib/scheduler/http/python-json";

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

  it("quotes every string as JSON.stringify plus Tornado's escapes, on the fast path too", () => {
    const tornado = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).replaceAll("</", "<\\/");
    const alphabet = ["a", "Z", "0", " ", "(", "=", "<", "/", '"', "\\", "\n", "\t", "\u0001", "\u007f", "\u00e9", "\ud83d", "\ude00", "~"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: n % 9 }, () => alphabet[next()]).join("");
      expect(quote(s)).toBe(tornado(s));
    }
    expect(quote("x".repeat(300) + "</")).toBe(tornado("x".repeat(300) + "</"));
    expect(quote("BenchStep(chain=0x1, run=bench)")).toBe('"BenchStep(chain=0x1, run=bench)"');
  });
});
