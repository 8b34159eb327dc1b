// The audit table's Result cell. A short result shows whole; a long one (a services-file sync
// lists every field it changed, with old and new values) folds behind a one-line summary of its
// keys, so one entry does not stretch the table over screens, and opens to the whole JSON.

/** Results up to this many characters of JSON show inline. */
export const INLINE_RESULT_CHARS = 120;

/**
 * The folded line: the result's keys, and for a key holding an object, that object's keys
 * ("changed: name, retry, hourly, labels and 9 more"). Null for a result short enough to show whole.
 */
export function foldedResult(result: unknown): string | null {
  const json = JSON.stringify(result) ?? "null";
  if (json.length <= INLINE_RESULT_CHARS) return null;
  if (result === null || typeof result !== "object" || Array.isArray(result)) return `${json.slice(0, INLINE_RESULT_CHARS - 1)}…`;
  const parts = Object.entries(result).map(([key, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? `${key}: ${listKeys(Object.keys(value))}` : key,
  );
  return parts.join("; ") || json.slice(0, INLINE_RESULT_CHARS - 1) + "…";
}

function listKeys(keys: string[]): string {
  return keys.length > 4 ? `${keys.slice(0, 4).join(", ")} and ${keys.length - 4} more` : keys.join(", ");
}
