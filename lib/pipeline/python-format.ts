// Python's text formats, reproduced byte for byte where Luigi's wire format or task ids depend on
// them: json.dumps (default and compact separators, ensure_ascii) and repr(float). A TypeScript
// task only gets the same task id as its Python twin if these agree exactly.

/** json.dumps(value) with Python's defaults: ", " / ": " separators and \uXXXX for non-ASCII. */
export function pyJsonDumps(value: unknown, options: { compact?: boolean; sortKeys?: boolean } = {}): string {
  const itemSep = options.compact ? "," : ", ";
  const keySep = options.compact ? ":" : ": ";
  const write = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return pyJsonString(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return pyJsonNumber(v);
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Date) return pyJsonString(v.toISOString());
    if (Array.isArray(v)) return `[${v.map(write).join(itemSep)}]`;
    if (typeof v === "object") {
      const keys = Object.keys(v as object);
      if (options.sortKeys) keys.sort(comparePyStrings);
      const record = v as Record<string, unknown>;
      return `{${keys.map((k) => `${pyJsonString(k)}${keySep}${write(record[k])}`).join(itemSep)}}`;
    }
    throw new TypeError(`cannot serialise a ${typeof v} as JSON`);
  };
  return write(value);
}

/** A JSON string literal as Python writes it with ensure_ascii=True. */
export function pyJsonString(s: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters the way Python does
  // (\b \f \n \r \t, others as lower-case \u00xx); only non-ASCII differs.
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function pyJsonNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  // JS has one number type: an integral value is written as a Python int would be ("[1, 2]").
  return Number.isInteger(n) && !Object.is(n, -0) ? BigInt(n).toString() : pyFloatRepr(n);
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

/**
 * JSON.parse that also accepts Python's bare NaN / Infinity / -Infinity tokens (luigid may echo
 * them back); they become null, since JSON has no way to carry them into JS values faithfully.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const cleaned = replaceOutsideStrings(text, /-?Infinity|NaN/y, "null");
    if (cleaned === text) throw error;
    return JSON.parse(cleaned);
  }
}

function replaceOutsideStrings(text: string, token: RegExp, replacement: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    token.lastIndex = i;
    const m = token.exec(text);
    if (m) {
      out += replacement;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
