// Structural comparison of a luigid response with ours: same keys and value types, same values
// for everything deterministic. Timestamps (real wall-clock in the fixtures) are compared by type,
// UUIDs (message ids) by shape, and set-valued lists (deps, running_tasks) without order.

const TIME_KEYS = new Set(["start_time", "last_updated", "time_running", "last_active", "started"]);
const UNORDERED = new Set(["deps", "running_tasks"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

export function structuralDiff(expected: unknown, actual: unknown, path = "$", key: string | null = null): string[] {
  if (key !== null && TIME_KEYS.has(key)) return kind(expected) === kind(actual) ? [] : [`${path}: expected a ${kind(expected)}, got ${short(actual)}`];
  if (typeof expected === "string" && typeof actual === "string" && UUID.test(expected) && UUID.test(actual)) return [];
  if (kind(expected) !== kind(actual)) return [`${path}: expected ${short(expected)}, got ${short(actual)}`];
  if (Array.isArray(expected)) {
    const act = actual as unknown[];
    if (expected.length !== act.length) return [`${path}: expected ${expected.length} items ${short(expected)}, got ${act.length} ${short(act)}`];
    if (key !== null && UNORDERED.has(key)) {
      const canon = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
      return JSON.stringify(canon(expected)) === JSON.stringify(canon(act)) ? [] : [`${path}: expected the items ${short(expected)}, got ${short(act)}`];
    }
    return expected.flatMap((e, i) => structuralDiff(e, act[i], `${path}[${i}]`, key));
  }
  if (expected && typeof expected === "object") {
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(exp)) if (!(k in act)) out.push(`${path}.${k}: missing (expected ${short(exp[k])})`);
    for (const k of Object.keys(act)) if (!(k in exp)) out.push(`${path}.${k}: unexpected key (value ${short(act[k])})`);
    for (const k of Object.keys(exp)) if (k in act) out.push(...structuralDiff(exp[k], act[k], `${path}.${k}`, k));
    return out;
  }
  return expected === actual ? [] : [`${path}: expected ${short(expected)}, got ${short(actual)}`];
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 160 ? s.slice(0, 157) + "..." : s;
}
