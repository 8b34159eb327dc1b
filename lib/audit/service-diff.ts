import { isDeepStrictEqual } from "node:util";

// What changed in a service, for the audit log (an API edit, a services-file sync). Environment
// values can be secrets: the diff names the variables that were added, removed or changed, never
// their values (issue 10: no environment values in audit diffs).

export type ServiceDiff = Record<string, { from: unknown; to: unknown } | { added: string[]; removed: string[]; changed: string[] }>;

/** Fields that are not the service's configuration (set by the database or by where it came from). */
const IGNORED = new Set(["id", "paused", "source", "updatedAt"]);

function environmentDiff(before: Record<string, string>, after: Record<string, string>) {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const name of [...names].sort()) {
    if (!(name in before)) added.push(name);
    else if (!(name in after)) removed.push(name);
    else if (before[name] !== after[name]) changed.push(name);
  }
  return added.length + removed.length + changed.length > 0 ? { added, removed, changed } : null;
}

/** Changed fields of `after` against `before` (null: the service is new, every field is listed). */
export function serviceDiff(before: Record<string, unknown> | null, after: Record<string, unknown>, only?: string[]): ServiceDiff {
  const diff: ServiceDiff = {};
  for (const key of only ?? Object.keys(after)) {
    if (IGNORED.has(key) && !only) continue;
    const from = before?.[key] ?? null;
    const to = after[key] ?? null;
    if (key === "environment") {
      const env = environmentDiff((from as Record<string, string> | null) ?? {}, (to as Record<string, string> | null) ?? {});
      if (env) diff.environment = env;
    } else if (!isDeepStrictEqual(from, to)) {
      diff[key] = { from, to };
    }
  }
  return diff;
}

/** One line for a log: "dailyTime 02:00 → 04:15, environment +API_KEY ~DB_HOST". */
export function describeDiff(diff: ServiceDiff): string {
  return Object.entries(diff)
    .map(([key, d]) => {
      if ("added" in d) return `${key} ${[...d.added.map((n) => `+${n}`), ...d.removed.map((n) => `-${n}`), ...d.changed.map((n) => `~${n}`)].join(" ")}`;
      return `${key} ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)}`;
    })
    .join(", ");
}
