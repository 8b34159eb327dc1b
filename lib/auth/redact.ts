import { hasRole, type Actor } from "@/lib/auth/roles";

// A service's `environment` may hold credentials (an API token for its warehouse). Viewers and
// operators see which variables a service sets, not their values; admins, who may edit them, do.

export const HIDDEN = "(hidden)";

export function redactEnvironment<T extends { environment?: Record<string, string> }>(service: T, actor: Actor): T {
  if (hasRole(actor, "admin") || !service.environment) return service;
  return { ...service, environment: Object.fromEntries(Object.keys(service.environment).map((k) => [k, HIDDEN])) };
}

/**
 * An audit entry's result as a non-admin may see it. Service diffs are written with environment
 * names only (lib/audit/service-diff.ts), but rows written before that, or by another writer, may
 * hold `environment: { from: {NAME: value}, to: {...} }` or a whole environment: under any
 * `environment` key every value is hidden and every name kept (lists of names stay as they are).
 */
export function redactAuditResult(result: unknown, actor: Actor): unknown {
  return hasRole(actor, "admin") ? result : redactNested(result);
}

function redactNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactNested);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "environment" ? hideValues(v) : redactNested(v)]));
}

/** Keeps the shape (names, and lists of names); replaces every other leaf with HIDDEN. */
function hideValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : hideValues(v)));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideValues(v)]));
  return value === null ? null : HIDDEN;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
