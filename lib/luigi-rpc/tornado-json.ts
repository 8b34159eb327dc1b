import { pyJsonNumber } from "@/lib/luigi-rpc/python-json";

// Replies as luigid writes them: Tornado's json_encode — Python json.dumps (python-json.ts) with
// every "</" written as "<\/" — tuned for big replies (task_list of 50k tasks), which the
// scheduler writes in pieces and chunks rather than one string.

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
      return pyJsonNumber(value);
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
