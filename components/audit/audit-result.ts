// The audit table's Result cell. A short result shows whole; a long one (a services-file sync
// lists every field it changed, with old and new values) folds behind a one-line summary of its
// keys, so one entry does not stretch the table over screens, and opens to the whole JSON.

/** Results up to this many characters of JSON show inline. */
export const INLINE_RESULT_CHARS = 120;

/**
 * The folded line: the result's keys, and for a key holding an object, that object's keys
 * ("changed: name, retry, hourly, labels and 9 more"). Null for a result short enough to show whole.
 */
export function foldedResult(result: unknown, json = JSON.stringify(result) ?? "null"): string | null {
  if (json.length <= INLINE_RESULT_CHARS) return null;
  // an object this long has keys (a short one showed whole above)
  if (!isRecord(result)) return `${json.slice(0, INLINE_RESULT_CHARS - 1)}…`;
  return Object.entries(result)
    .map(([key, value]) => (isRecord(value) ? `${key}: ${listKeys(Object.keys(value))}` : key))
    .join("; ");
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function listKeys(keys: string[]): string {
  return keys.length > 4 ? `${keys.slice(0, 4).join(", ")} and ${keys.length - 4} more` : keys.join(", ");
}
