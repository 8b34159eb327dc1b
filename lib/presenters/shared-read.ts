// One computation of a read model for the requests that ask for it at about the same time: the
// home page's HTML and the browser's fetch of the whole model right after it (app/page.tsx), and
// every open tab's 2.5 s poll. A result is reused while its computation started less than
// `maxAgeMs` ago (its own generatedAt says how old it is); a failure is not kept. Any change made
// through this web process's API forgets them all (lib/api/handler.ts), so an operator's action
// shows on the next read. Kept on globalThis: Next may load this module once per route bundle.

type Entry = { startedAt: number; value: Promise<unknown> };

const holder = globalThis as unknown as { __switchyardSharedReads?: Map<string, Entry> };
const entries = (holder.__switchyardSharedReads ??= new Map());

export function sharedRead<T>(key: string, maxAgeMs: number, compute: () => Promise<T>, now = Date.now()): Promise<T> {
  const hit = entries.get(key);
  if (hit && now - hit.startedAt < maxAgeMs && now >= hit.startedAt) return hit.value as Promise<T>;
  const value = compute();
  entries.set(key, { startedAt: now, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

/** After a change: the next read computes afresh. */
export function forgetSharedReads(): void {
  entries.clear();
}
