// JSON as luigid speaks it. Requests: Python's json.loads, which also accepts the bare tokens
// Infinity, -Infinity and NaN (Python workers send `"max_batch_size": Infinity` by default).
// Responses: Tornado's json_encode — Python json.dumps with ", " / ": " separators, every
// non-ASCII character as \uXXXX, and every "</" written as "<\/".

export class JsonInputError extends Error {
  readonly code = "bad_json";
}

/** Python json.loads nests at most ~1000 levels; deeper input is refused, never a stack overflow. */
export const MAX_DEPTH = 512;

const SENTINEL = "\u0000__py_nonfinite__:";

export function parsePythonJson(text: string): unknown {
  const needsRewrite = scan(text);
  try {
    if (!needsRewrite) return JSON.parse(text);
    return JSON.parse(rewriteNonFinite(text), (_k, v) => (typeof v === "string" && v.startsWith(SENTINEL) ? Number(v.slice(SENTINEL.length)) : v));
  } catch (error) {
    throw new JsonInputError(`the data field is not valid JSON: ${(error as Error).message}`);
  }
}

/** Checks nesting depth; returns whether a bare Infinity/NaN token appears outside strings. */
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
      if (++depth > MAX_DEPTH) throw new JsonInputError(`the data field nests deeper than ${MAX_DEPTH} levels`);
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

const NEEDS_ESCAPE = /[\u007f-\uffff]|<\//;
const NON_ASCII = /[\u007f-\uffff]/g;

/**
 * Tornado-style JSON text written on demand as pieces, straight into the reply: an item of a big
 * list (task_list) then needs no rope or intermediate object of its own. Written when the reply
 * is encoded, which service.ts does synchronously right after the method ran, so it shows the
 * state the method saw.
 */
export abstract class JsonPieces {
  abstract writeTo(out: string[]): void;
}

/** A JSON string literal the way Tornado writes it: non-ASCII as \uXXXX, "</" as "<\/". */
export function quote(s: string): string {
  // Fast path for printable ASCII without `"`, `\` or "</" (ids, names, parameter values): one
  // scan instead of JSON.stringify plus a regex test, ~5x faster (task_list quotes 100k strings).
  let plain = s.length < 256;
  for (let i = 0; plain && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 34 || c === 92 || (c === 47 && i > 0 && s.charCodeAt(i - 1) === 60)) plain = false;
  }
  if (plain) return '"' + s + '"';
  const j = JSON.stringify(s);
  if (!NEEDS_ESCAPE.test(j)) return j;
  return j.replace(NON_ASCII, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).replaceAll("</", "<\\/");
}

/**
 * Tornado-style JSON text (Python json.dumps separators ", " and ": "). Maps (id-keyed results)
 * are written as objects in insertion order. Numbers are finite: the RPC boundary refuses others.
 */
export function encodeJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return "null";
  }
  if (value instanceof JsonPieces) {
    const out: string[] = [];
    value.writeTo(out);
    return out.join("");
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ", " : "") + encodeJson(value[i]);
    return out + "]";
  }
  let out = "{";
  let first = true;
  const entries = value instanceof Map ? value.entries() : Object.entries(value as object).values();
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    out += (first ? "" : ", ") + quote(String(k)) + ": " + encodeJson(v);
    first = false;
  }
  return out + "}";
}

/**
 * Items per chunk of a big reply: ~64 KB of task_list text, so each chunk's string is a young
 * object that dies at the next scavenge (strings of 1 MB go to large-object space and count
 * against the old generation).
 */
const CHUNK_ITEMS = 128;

/**
 * The `{"response": ...}` envelope as bytes, in chunks: a big id-keyed result is never joined into
 * one giant string. Each item is joined from its pieces, and each chunk from its items: for
 * task_list of 50k tasks ~150 ms of CPU, against ~200 for a rope per chunk or one array of pieces
 * per chunk. The text is pure ASCII (everything else is escaped), so latin1 encoding is exact.
 */
export function encodeEnvelope(result: unknown): Buffer[] {
  if (!(result instanceof Map) || result.size < 256) return [Buffer.from(encodeJson({ response: result }), "latin1")];
  const chunks: Buffer[] = [];
  const items: string[] = ['{"response": {'];
  const pieces: string[] = [];
  let n = 0;
  for (const [k, v] of result) {
    pieces.length = 0;
    pieces.push(n++ > 0 ? ", " : "", quote(String(k)), ": ");
    if (v instanceof JsonPieces) v.writeTo(pieces);
    else pieces.push(encodeJson(v));
    items.push(pieces.join(""));
    if (items.length >= CHUNK_ITEMS) {
      chunks.push(Buffer.from(items.join(""), "latin1"));
      items.length = 0;
    }
  }
  items.push("}}");
  chunks.push(Buffer.from(items.join(""), "latin1"));
  return chunks;
}
