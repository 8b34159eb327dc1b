import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { describeDiff, serviceDiff, type ServiceDiff } from "@/lib/audit/service-diff";
import type { ServicesFile } from "@/lib/schemas/services";
import { saveService } from "@/lib/db/services/save-service";
import { getServiceRecord } from "@/lib/db/services/service-record";

// The config file is the source of truth at start: every service in it is written as given
// (an API edit made since is overwritten — edit the file to keep a change), its concurrency
// groups are declared, and the fleet-wide limit is set. Services that are no longer in the file
// are left alone (their history stays); disable them with `"enabled": false` or the API. They
// are named in the result (`notInFile`: enabled and not paused, so still launched on schedule),
// because a file that is meant to be the whole fleet — a shop's first file on a home that ran
// the demo — otherwise leaves them failing every day without a word.
// One transaction, so two runners starting together cannot interleave half-synced services.
// Each service the sync adds or changes gets an audit row ("service.sync", actor
// system:services-file) with what changed, in that same transaction, and a one-line summary
// for the runner's log.

export type ServiceChange = { service: string; created: boolean; changed: ServiceDiff; summary: string };
/** A fleet-wide limit the file changed: the fleet's maxRunning, or a concurrency group's (null: no limit). */
export type LimitChange = { limit: string; from: number | null; to: number | null };
export type SyncResult = { services: number; groups: number; changes: ServiceChange[]; limits: LimitChange[]; notInFile: string[] };

const SYNC_LOCK = 0x5717_5e1c;

/** `by`: who synced (a runner at start, an admin through the API) and from which file, for the audit rows. */
export async function syncServices(pool: pg.Pool, file: ServicesFile, by: { actor?: Actor | string; source?: string; reason?: string } = {}): Promise<SyncResult> {
  return withTransaction(pool, async (client) => {
    const limits: LimitChange[] = [];
    const groups = new Map((await client.query<{ name: string; max_running: number }>("SELECT name, max_running FROM concurrency_groups")).rows.map((g) => [g.name, g.max_running]));
    for (const [name, maxRunning] of Object.entries(file.concurrencyGroups)) {
      if (groups.get(name) === maxRunning) continue;
      limits.push({ limit: `concurrency group ${name}`, from: groups.get(name) ?? null, to: maxRunning });
      await client.query(
        `INSERT INTO concurrency_groups (name, max_running) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET max_running = excluded.max_running, updated_at = now()`,
        [name, maxRunning],
      );
    }
    const changes: ServiceChange[] = [];
    for (const service of file.services) {
      const before = await getServiceRecord(client, service.name);
      await saveService(client, service, "config");
      const after = (await getServiceRecord(client, service.name))!;
      const changed = serviceDiff(before, after);
      if (Object.keys(changed).length === 0) continue;
      const change = { service: service.name, created: before === null, changed, summary: before ? describeDiff(changed) : "added" };
      changes.push(change);
      await recordAudit(client, {
        actor: by.actor ?? "system:services-file",
        action: "service.sync",
        targetType: "service",
        targetId: service.name,
        reason: by.reason ?? (by.source ? `services file ${by.source}` : null),
        outcome: "ok",
        result: { created: change.created, changed },
      });
    }
    const fleet = (await client.query<{ max_running: number | null }>("SELECT max_running FROM runner_control WHERE id = 1 FOR UPDATE")).rows[0];
    if (fleet && fleet.max_running !== file.maxRunning) {
      limits.push({ limit: "maxRunning", from: fleet.max_running, to: file.maxRunning });
      await client.query("UPDATE runner_control SET max_running = $1, changed_at = now(), changed_by = 'config', reason = 'services file' WHERE id = 1", [file.maxRunning]);
    }
    // the fleet's limits are audited like its services: a file without maxRunning lifts the limit
    if (limits.length > 0) {
      await recordAudit(client, {
        actor: by.actor ?? "system:services-file",
        action: "fleet.sync",
        targetType: "fleet",
        targetId: null,
        reason: by.reason ?? (by.source ? `services file ${by.source}` : null),
        outcome: "ok",
        result: { changed: Object.fromEntries(limits.map((l) => [l.limit, { from: l.from, to: l.to }])) },
      });
    }
    const notInFile = (
      await client.query<{ name: string }>("SELECT name FROM services WHERE enabled AND NOT paused AND NOT (name = ANY($1::text[])) ORDER BY name", [
        file.services.map((s) => s.name),
      ])
    ).rows.map((r) => r.name);
    return { services: file.services.length, groups: Object.keys(file.concurrencyGroups).length, changes, limits, notInFile };
  }, { lock: SYNC_LOCK });
}
