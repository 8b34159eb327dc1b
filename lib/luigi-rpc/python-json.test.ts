import { describe, expect, it } from "vitest";
import { JsonInputError, parsePythonJson, pyJsonDumps } from "@/lib/luigi-rpc/python-json";
import { encodeJson } from "@/lib/luigi-rpc/tornado-json";
import { fixtureFiles, loadFixture } from "@/lib/scheduler/testing/fixtures";

// The one codec against everything luigid and Luigi's workers put on the wire (every recorded
// fixture), and against fuzzed input: what it writes, it reads back unchanged; what Python wrote,
// it writes again byte for byte; on garbage it throws JsonInputError and nothing else.

const files = fixtureFiles();

/** The `data` text of a record whose wire form was kept, as the worker sent it. */
function wireData(r: ReturnType<typeof loadFixture>[number]): string | null {
  if (!r.raw) return null;
  const fromBody = r.raw.body && String(r.raw.request_headers["Content-Type"] ?? "").startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(r.raw.body).get("data") : null;
  return fromBody ?? new URLSearchParams(r.raw.query).get("data");
}

const isSpecial = (req: unknown) => req !== null && typeof req === "object" && ("__empty_data_field__" in req || "__undecodable__" in req);

describe("the codec on every recorded fixture", () => {
  it.each(files)("%s: requests and replies survive a round trip; Python's own text is rewritten byte for byte", (file) => {
    for (const r of loadFixture(file)) {
      const what = `${file}#${r.seq} ${r.method}`;
      if (r.request_nonstandard_json) {
        const value = parsePythonJson(r.request_nonstandard_json);
        expect(pyJsonDumps(value), what).toBe(r.request_nonstandard_json);
      } else if (r.request && !isSpecial(r.request)) {
        expect(parsePythonJson(pyJsonDumps(r.request)), what).toEqual(r.request);
      }
      const data = wireData(r);
      if (data && !isSpecial(r.request) && r.client.startsWith("worker")) {
        // Python's json.dumps wrote this text; ours must write the same text for the same value.
        expect(pyJsonDumps(parsePythonJson(data)), what).toBe(data);
      }
      if (r.response !== undefined) {
        const text = encodeJson(r.response);
        expect(parsePythonJson(text), what).toEqual(r.response);
        expect(text, what).toBe(pyJsonDumps(r.response).replaceAll("</", "<\\/"));
      }
    }
  });

  it("checked Python's own wire text in at least a few files", () => {
    const n = files.flatMap((f) => loadFixture(f)).filter((r) => r.client.startsWith("worker") && wireData(r)).length;
    expect(n).toBeGreaterThan(5);
  });

  it("reads the bare Infinity a Python worker sends for max_batch_size", () => {
    const batch = loadFixture("batch.jsonl").find((r) => r.request_nonstandard_json)!;
    expect((parsePythonJson(batch.request_nonstandard_json!) as { max_batch_size: number }).max_batch_size).toBe(Infinity);
    expect(parsePythonJson(batch.request_nonstandard_json!, { nonFinite: "null" })).toMatchObject({ max_batch_size: null });
  });
});

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const ALPHABET = ["a", "Z", "0", " ", "\"", "\\", "/", "<", "</", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u00e9", "\u2028", "\ud83d\ude00", "\ud800", "Infinity", "NaN", "{", "]"];
const NUMBERS = [0, -0, 1, -1, 2.5, 0.1, 1e-4, 9.99e-5, 1e-7, 5e-324, 1e15 + 0.5, 1e16, 1.5e16, 1e21, 1e300, -1e-300, 2 ** 53 + 2, 1795473138.6955645, NaN, Infinity, -Infinity];

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (r < 0.25) return Array.from({ length: Math.floor(rand() * 6) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join("");
  if (r < 0.45) return NUMBERS[Math.floor(rand() * NUMBERS.length)];
  if (r < 0.5) return rand() < 0.5;
  if (r < 0.55 || depth > 4) return null;
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) obj[String(randomValue(rand, 9))] = randomValue(rand, depth + 1);
  return obj;
}

describe("the codec on fuzzed input", () => {
  it("reads back every value it writes, in ASCII only, in Python's and in Tornado's form", () => {
    const rand = rng(42);
    for (let n = 0; n < 5000; n++) {
      const value = randomValue(rand);
      const text = pyJsonDumps(value);
      expect(text).toMatch(/^[\x20-\x7e]*$/);
      expect(parsePythonJson(text)).toEqual(value);
      expect(parsePythonJson(encodeJson(value))).toEqual(value);
      expect(parsePythonJson(pyJsonDumps(value, { compact: true, sortKeys: true }))).toEqual(value);
    }
  });

  it("agrees with JSON.parse on valid JSON and throws only JsonInputError on garbage", () => {
    const rand = rng(7);
    const tokens = ['{"a": ', "[", "]", "}", ",", ":", '"x"', '"\\u00e9"', '"\\"', "1", "-", "2.5e3", "NaN", "-Infinity", "Infinity", "null", "true", " ", "\\", '"', "Inf", "01"];
    let valid = 0;
    for (let n = 0; n < 20000; n++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => tokens[Math.floor(rand() * tokens.length)]).join("");
      let expected: unknown;
      let standard = true;
      try {
        expected = JSON.parse(text);
      } catch {
        standard = false;
      }
      try {
        const got = parsePythonJson(text);
        if (standard) {
          expect(got, text).toEqual(expected);
          valid++;
        }
      } catch (error) {
        expect(error, text).toBeInstanceOf(JsonInputError);
        expect(standard, `JSON.parse accepts ${text}`).toBe(false);
      }
    }
    expect(valid).toBeGreaterThan(100);
  });

  it("refuses deep nesting instead of overflowing the stack", () => {
    expect(() => parsePythonJson("[".repeat(100_000) + "]".repeat(100_000))).toThrow(JsonInputError);
  });
});
