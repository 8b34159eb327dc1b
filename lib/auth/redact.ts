import { hasRole, type Actor } from "@/lib/auth/roles";

// A service's `environment` may hold credentials (an API token for its warehouse). Viewers and
// operators see which variables a service sets, not their values; admins, who may edit them, do.

export const HIDDEN = "(hidden)";

export function redactEnvironment<T extends { environment?: Record<string, string> }>(service: T, actor: Actor): T {
  if (hasRole(actor, "admin") || !service.environment) return service;
  return { ...service, environment: Object.fromEntries(Object.keys(service.environment).map((k) => [k, HIDDEN])) };
}
