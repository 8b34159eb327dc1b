// What PostgreSQL cannot store in text: NUL, and a UTF-16 surrogate without its pair (UTF-8 has no
// encoding for one). Either one in decoded JSON input fails a write later, or worse: a lone
// surrogate escape is kept by a `json` column and then fails every read that looks inside the
// document. Input boundaries (the scheduler's RPCs, the dashboard's API) refuse such text up
// front with a message that names it.

const NUL_OR_SURROGATE_ESCAPE = /\\u(0000|[dD][89a-fA-F])/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** For JSON text and the value decoded from it: what cannot be stored, or null. Cheap when the text has no such escape. */
export function unstorableText(json: string, value: unknown): string | null {
  if (!NUL_OR_SURROGATE_ESCAPE.test(json)) return null;
  return find(value);
}

function find(value: unknown): string | null {
  if (typeof value === "string") return problem(value);
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = find(v);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = problem(k) ?? find(v);
    if (p) return p;
  }
  return null;
}

function problem(s: string): string | null {
  if (s.includes("\u0000")) return "a NUL character (\\u0000), which PostgreSQL text cannot hold";
  if (LONE_SURROGATE.test(s)) return "a lone UTF-16 surrogate (a \\ud800-\\udfff escape without its pair), which cannot be stored as UTF-8";
  return null;
}
