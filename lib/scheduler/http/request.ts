import type { IncomingMessage } from "node:http";
import { unstorableText } from "@/lib/db/storable-text";
import { JsonInputError, parsePythonJson } from "@/lib/scheduler/http/python-json";

// Reading luigid-style arguments (SPEC §1.2): one field `data`, from the query string and/or a
// urlencoded form body — the last value wins, so the body's beats the query's. A JSON request
// body is ignored (Tornado does not parse it). Absent `data` means {}.

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > cap) {
      reject(new BodyTooLarge(`request body of ${declared} bytes is over the ${cap}-byte limit`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > cap) {
        failed = true;
        reject(new BodyTooLarge(`request body is over the ${cap}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => failed || resolve(Buffer.concat(chunks)));
    req.on("error", (error) => failed || reject(error));
  });
}

/** The raw `data` value, or null when no `data` argument was sent at all. */
export function dataArgument(query: string, req: IncomingMessage, body: Buffer): string | null {
  let value = lastFormValue(query, "data");
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (body.length > 0 && type.startsWith("application/x-www-form-urlencoded")) value = lastFormValue(body.toString("utf8"), "data") ?? value;
  return value;
}

/**
 * The last value of `key` in an application/x-www-form-urlencoded text, as URLSearchParams reads
 * it: one pass with native percent-decoding instead of a map of every pair (URLSearchParams was
 * 5% of the scheduler's CPU per add_task). Anything decodeURIComponent refuses (a stray %, bytes
 * that are not UTF-8) is left to URLSearchParams, whose lenient reading is the standard's.
 */
export function lastFormValue(text: string, key: string): string | null {
  try {
    if (LONE_SURROGATE.test(text)) throw new URIError("lone surrogate"); // URLSearchParams makes it U+FFFD
    let value: string | null = null;
    for (let start = 0; start <= text.length; ) {
      let amp = text.indexOf("&", start);
      if (amp === -1) amp = text.length;
      if (amp > start) {
        const eq = text.indexOf("=", start);
        const nameEnd = eq === -1 || eq > amp ? amp : eq;
        if (formDecode(text.slice(start, nameEnd)) === key) value = nameEnd === amp ? "" : formDecode(text.slice(nameEnd + 1, amp));
      }
      start = amp + 1;
    }
    return value;
  } catch {
    const all = new URLSearchParams(text).getAll(key);
    return all.length > 0 ? all[all.length - 1] : null;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function formDecode(part: string): string {
  const spaced = part.includes("+") ? part.replaceAll("+", " ") : part;
  return spaced.includes("%") ? decodeURIComponent(spaced) : spaced;
}

/** Decodes `data` into the method's keyword arguments. */
export function decodeData(raw: string | null): Record<string, unknown> {
  if (raw === null) return {};
  const text = raw.trim();
  if (text === "") throw new JsonInputError("the data field is empty; send a JSON object (or no data field at all)");
  // Keys named __proto__ would rewrite an object's prototype when merged (add_worker info, params).
  if (text.includes("__proto__")) throw new JsonInputError("keys named __proto__ are not accepted");
  let value: unknown;
  try {
    value = parsePythonJson(text);
  } catch (error) {
    throw new JsonInputError(`the data field is ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new JsonInputError("the data field must be a JSON object of keyword arguments");
  // NUL would fail every flush that carries it; a lone \ud800-\udfff escape is kept by the row's
  // json document and then fails every read inside it (the restore's among them).
  const unstorable = unstorableText(text, value);
  if (unstorable) throw new JsonInputError(`the data field contains ${unstorable}`);
  return value as Record<string, unknown>;
}
