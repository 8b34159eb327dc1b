import { truthy } from "@/lib/scheduler/core/python";
import { REPORTABLE } from "@/lib/scheduler/core/transitions";

// Argument checks for the RPC boundary. luigid has none: a wrong type surfaces as a Python
// exception (500) or, worse, is stored and breaks later calls (a string resource amount makes every
// get_work fail). These reject such input up front with a message naming the argument, and let
// through everything real Luigi clients send.

export class BadArguments extends Error {
  readonly code = "bad_arguments";
}

export type Check = (value: unknown, name: string) => unknown;

const fail = (name: string, expected: string, value: unknown): never => {
  const got = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : JSON.stringify(value)?.slice(0, 60);
  throw new BadArguments(`argument '${name}' must be ${expected} (got ${got})`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const any: Check = (v) => v;

export const str: Check = (v, name) => (typeof v === "string" ? v : fail(name, "a string", v));

export const strOrNull: Check = (v, name) => (v === null || typeof v === "string" ? v : fail(name, "a string or null", v));

/** `status=''`-style filters: null means "no filter", like an empty string. */
export const filterStr: Check = (v, name) => (v === null ? "" : str(v, name));

export const finite: Check = (v, name) => {
  if (typeof v === "boolean") return v ? 1 : 0;
  return typeof v === "number" && Number.isFinite(v) ? v : fail(name, "a finite number", v);
};

/** max_batch_size: Python sends Infinity by default. */
export const positiveOrInf: Check = (v, name) => (typeof v === "number" && !Number.isNaN(v) ? v : fail(name, "a number (or Infinity)", v));

export const boolOrNull: Check = (v) => (v === null ? null : truthy(v));

export const idList: Check = (v, name) => {
  if (v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return fail(name, "a list of task id strings or null", v);
  return v;
};

export const strList: Check = (v, name) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? v : fail(name, "a list of strings", v));

export const object: Check = (v, name) => (isPlainObject(v) ? v : fail(name, "an object", v));

export const objectOrNull: Check = (v, name) => (v === null || isPlainObject(v) ? v : fail(name, "an object or null", v));

export const amounts: Check = (v, name) => {
  if (!isPlainObject(v)) return fail(name, "an object of resource amounts", v);
  for (const [k, n] of Object.entries(v)) if (typeof n !== "number" || !Number.isFinite(n)) fail(`${name}.${k}`, "a finite number", n);
  return v;
};

export const amountsOrNull: Check = (v, name) => (v === null ? null : amounts(v, name));

export const status: Check = (v, name) => (typeof v === "string" && REPORTABLE.has(v) ? v : fail(name, `one of ${[...REPORTABLE].join(", ")}`, v));

export const retryPolicy: Check = (v, name) => {
  if (v === null) return null;
  if (!isPlainObject(v)) return fail(name, "an object or null", v);
  for (const [k, n] of Object.entries(v)) {
    if (!["retry_count", "disable_hard_timeout", "disable_window"].includes(k)) throw new BadArguments(`argument '${name}' has an unknown key '${k}'`);
    if (n !== null && (typeof n !== "number" || Number.isNaN(n))) fail(`${name}.${k}`, "a number or null", n);
  }
  return v;
};

/** A Switchyard run id: a positive integer. */
export const runId: Check = (v, name) => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : fail(name, "a run id (a positive integer)", v));

/** add_worker info: a list of [key, value] pairs (start-up) or an object (later updates). */
export const workerInfo: Check = (v, name) => {
  if (isPlainObject(v)) return v;
  if (Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string")) return Object.fromEntries(v as [string, unknown][]);
  return fail(name, "an object or a list of [key, value] pairs", v);
};

/** Message ids and similar keys: Python accepts any hashable; strings and numbers are kept. */
export const key: Check = (v, name) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : fail(name, "a string", v));
