import type pg from "pg";
import type { Actor } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/record-audit";
import { listServiceRecords, type ServiceRecord } from "@/lib/db/services/service-record";
import { syncServices, type SyncResult } from "@/lib/db/services/sync-services";
import type { ServiceConfig, ServicesFile } from "@/lib/schemas/services";

// Syncs a services file into the database and writes what it changed to the audit log: at a
// runner's start, on SIGHUP, and from `switchyard services sync FILE` (POST /api/v1/services/sync).
// The diff is by field name only — values may hold commands an operator should read in the file,
// and {env:NAME} placeholders are stored as written, so no secret can reach the audit either way.

export type ServiceChange = { service: string; change: "added" | "changed"; fields: string[] };
export type SyncReport = SyncResult & { changes: ServiceChange[] };

const compared: (keyof ServiceConfig)[] = [
  "displayName", "timeZone", "dailyTime", "hourly", "hourlyMinute", "dailyCommand", "hourlyCommand", "forceArgument", "fromTaskArgument",
  "environment", "labels", "concurrencyGroup", "maxRunning", "retry", "timeoutSeconds", "expectedDoneBy", "enabled", "rootTask",
  "workingDirectory", "launch",
];

/** Which services the file adds, and which fields of the others it changes. */
export function diffServices(before: ServiceRecord[], file: ServicesFile): ServiceChange[] {
  const stored = new Map(before.map((s) => [s.name, s]));
  const changes: ServiceChange[] = [];
  for (const service of file.services) {
    const old = stored.get(service.name);
    if (!old) {
      changes.push({ service: service.name, change: "added", fields: [] });
      continue;
    }
    const next = { ...service, displayName: service.displayName ?? service.name };
    const fields = compared.filter((f) => JSON.stringify(sortKeys(old[f])) !== JSON.stringify(sortKeys(next[f])));
    if (fields.length) changes.push({ service: service.name, change: "changed", fields });
  }
  return changes;
}

export async function syncServicesFile(pool: pg.Pool, file: ServicesFile, options: { actor: Actor | string; source: string; reason?: string }): Promise<SyncReport> {
  const changes = diffServices(await listServiceRecords(pool), file);
  const synced = await syncServices(pool, file);
  if (changes.length) {
    await recordAudit(pool, {
      actor: options.actor,
      action: "services.sync",
      targetType: "services",
      targetId: options.source,
      reason: options.reason ?? `services file ${options.source}`,
      outcome: "ok",
      result: { services: synced.services, changes },
    });
  }
  return { ...synced, changes };
}

/** One line per change, for logs and the CLI: "shop-ok: added", "shop-bad: dailyCommand, launch". */
export function describeChanges(changes: ServiceChange[]): string[] {
  return changes.map((c) => `${c.service}: ${c.change === "added" ? "added" : `changed ${c.fields.join(", ")}`}`);
}

function sortKeys(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}
