// The one codec for Luigi's Python-flavoured JSON (SPEC §1.2, §1.3), used by the scheduler, the
// worker SDK, the runner and the dashboard. Reading: Python's json.loads, which also accepts the
// bare tokens Infinity, -Infinity and NaN (Python workers send `"max_batch_size": Infinity`).
// Writing: Python's json.dumps byte for byte (", " / ": " separators, ensure_ascii, repr(float)),
// because a TypeScript task only gets its Python twin's task id if the text agrees exactly.
// Tornado's reply encoding (json.dumps plus "<\/") is in tornado-json.ts.

export class JsonInputError extends Error {
  readonly code = "bad_json";
}

/** Python json.loads nests at most ~1000 levels; deeper input is refused, never a stack overflow. */
export const MAX_DEPTH = 512;

const SENTINEL = "\u0000__py_nonfinite__:";

export type ParseOptions = {
  /** What Infinity/NaN become: the JS numbers (default, faithful) or null (for values that go on as JSON). */
  nonFinite?: "number" | "null";
};

export function parsePythonJson(text: string, options: ParseOptions = {}): unknown {
  // The common case, one native pass: plain JSON that cannot nest too deep (fewer brackets than
  // the limit). Infinity, NaN and invalid input fail it and take the full path, which says why.
  if (openings(text) <= MAX_DEPTH) {
    try {
      return JSON.parse(text);
    } catch {
      // below
    }
  }
  const needsRewrite = scan(text);
  const asNull = options.nonFinite === "null";
  try {
    if (!needsRewrite) return JSON.parse(text);
    return JSON.parse(rewriteNonFinite(text), (_k, v) => (typeof v === "string" && v.startsWith(SENTINEL) ? (asNull ? null : Number(v.slice(SENTINEL.length))) : v));
  } catch (error) {
    throw new JsonInputError(`not valid JSON: ${(error as Error).message}`);
  }
}

/** How many `[` and `{` the text holds (in strings too), counted up to MAX_DEPTH + 1. */
function openings(text: string): number {
  let n = 0;
  for (let i = text.indexOf("["); i !== -1 && n <= MAX_DEPTH; i = text.indexOf("[", i + 1)) n++;
  for (let i = text.indexOf("{"); i !== -1 && n <= MAX_DEPTH; i = text.indexOf("{", i + 1)) n++;
  return n;
}

/** Checks nesting depth; returns whether a bare Infinity/NaN token may appear outside strings. */
function scan(text: string): boolean {
  let depth = 0;
  let inString = false;
  let nonFinite = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped char
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > MAX_DEPTH) throw new JsonInputError(`nested deeper than ${MAX_DEPTH} levels`);
    } else if (ch === 93 || ch === 125) depth--;
    else if (ch === 73 || ch === 78) nonFinite = true; // 'I' or 'N' outside a string
  }
  return nonFinite;
}

function rewriteNonFinite(text: string): string {
  let out = "";
  let inString = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    const token = text.startsWith("-Infinity", i) ? "-Infinity" : text.startsWith("Infinity", i) ? "Infinity" : text.startsWith("NaN", i) ? "NaN" : null;
    if (token) {
      out += text.slice(last, i) + JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      last = i + 1;
    }
  }
  return out + text.slice(last);
}

const NON_ASCII = /[\u007f-\uffff]/g;

/** A JSON string literal as Python writes it with ensure_ascii=True (everything outside ' '..'~' escaped). */
export function pyJsonString(s: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters the way Python does
  // (\b \f \n \r \t, others as lower-case \u00xx); only DEL and non-ASCII differ.
  return JSON.stringify(s).replace(NON_ASCII, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** A number as Python's json.dumps writes it: an integral value as an int, others as repr(float). */
export function pyJsonNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  // JS has one number type: an integral value is written as a Python int would be ("[1, 2]").
  if (Number.isInteger(n) && !Object.is(n, -0)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  // Fast path: in this range JS and Python both write the shortest round-trip digits in fixed notation.
  const a = Math.abs(n);
  if (a >= 1e-4 && a < 1e16) return String(n);
  return pyFloatRepr(n);
}

/** json.dumps(value) with Python's defaults: ", " / ": " separators and \uXXXX for non-ASCII. */
export function pyJsonDumps(value: unknown, options: { compact?: boolean; sortKeys?: boolean } = {}): string {
  const itemSep = options.compact ? "," : ", ";
  const keySep = options.compact ? ":" : ": ";
  const write = (v: unknown, depth: number): string => {
    if (depth > MAX_DEPTH) throw new TypeError(`cannot serialise JSON nested deeper than ${MAX_DEPTH} levels`);
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return pyJsonString(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return pyJsonNumber(v);
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Date) return pyJsonString(v.toISOString());
    if (Array.isArray(v)) return `[${v.map((x) => write(x, depth + 1)).join(itemSep)}]`;
    if (typeof v === "object") {
      const entries = v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x] as const) : Object.entries(v as object);
      if (options.sortKeys) entries.sort((a, b) => comparePyStrings(a[0], b[0]));
      return `{${entries.map(([k, x]) => `${pyJsonString(k)}${keySep}${write(x, depth + 1)}`).join(itemSep)}}`;
    }
    throw new TypeError(`cannot serialise a ${typeof v} as JSON`);
  };
  return write(value, 0);
}

/**
 * repr(float) in Python 3: the shortest round-tripping digits (as in JS), but always with a ".0"
 * for integral values, and scientific notation when the exponent is < -4 or >= 16 (JS switches at
 * -7 and 21), with at least two exponent digits ("1e-05", "1e+16").
 */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = n.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}

/** Python compares str by code point; JS's default sort compares UTF-16 units (differs only for astral characters). */
export function comparePyStrings(a: string, b: string): number {
  const ai = Array.from(a);
  const bi = Array.from(b);
  for (let i = 0; i < Math.min(ai.length, bi.length); i++) {
    const d = ai[i].codePointAt(0)! - bi[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ai.length - bi.length;
}

/** The `data` form field a Luigi worker sends: `data=<urlencoded json.dumps(args)>` (requests encodes spaces as +). */
export function encodeForm(args: Record<string, unknown>): string {
  return new URLSearchParams({ data: pyJsonDumps(args) }).toString();
}
