// luigi.task.flatten / getpaths: requires() and output() may return one item, an array or an
// object of them (nested); the worker needs them as flat lists, and input() needs the same shape
// with every task replaced by its outputs.

export type Nested<T> = T | null | undefined | readonly Nested<T>[] | { readonly [key: string]: Nested<T> };

export function flattenNested<T>(value: Nested<T>, isLeaf: (v: unknown) => v is T): T[] {
  const out: T[] = [];
  const walk = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (isLeaf(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object") Object.values(v as object).forEach(walk);
    else throw new TypeError(`expected a task, a target, or an array or object of them; got ${typeof v}`);
  };
  walk(value);
  return out;
}

/** Same shape as `value`, each leaf mapped. */
export function mapNested<T, U>(value: Nested<T>, isLeaf: (v: unknown) => v is T, fn: (leaf: T) => U): Nested<U> {
  if (value === null || value === undefined) return value as null | undefined;
  if (isLeaf(value)) return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapNested(v as Nested<T>, isLeaf, fn));
  const out: Record<string, Nested<U>> = {};
  for (const [k, v] of Object.entries(value as object)) out[k] = mapNested(v as Nested<T>, isLeaf, fn);
  return out;
}
