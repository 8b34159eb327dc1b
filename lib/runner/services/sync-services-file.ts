import type pg from "pg";
import { syncChannels, type ChannelSyncChange } from "@/lib/alerts/channels/sync-channels";
import type { Actor } from "@/lib/auth/roles";
import { syncServices, type LimitChange, type SyncResult } from "@/lib/db/services/sync-services";
import type { ServicesFile } from "@/lib/schemas/services";

// Syncs a services file into the database and writes what it changed to the audit log: at a
// runner's start, on SIGHUP, and from `switchyard services sync FILE` (POST /api/v1/services/sync).
// The diff is by field name only — values may hold commands an operator should read in the file,
// and {env:NAME} placeholders are stored as written, so no secret can reach the audit either way.

export type ServiceChange = { service: string; change: "added" | "changed"; fields: string[] };
export type SyncReport = Omit<SyncResult, "changes"> & { changes: ServiceChange[]; channels: ChannelSyncChange[] };

/**
 * The sync itself writes one audit row per service it adds or changes, in its own transaction
 * (lib/db/services/sync-services.ts), with `actor` and the file named; this adds the field list
 * that logs and the CLI print.
 */
export async function syncServicesFile(pool: pg.Pool, file: ServicesFile, options: { actor: Actor | string; source: string; reason?: string }): Promise<SyncReport> {
  const synced = await syncServices(pool, file, options);
  // the file's alert channels, synced the same way (in a transaction of their own)
  const channels = await syncChannels(pool, file.channels, options);
  return { ...synced, channels, changes: synced.changes.map((c) => ({ service: c.service, change: c.created ? "added" : "changed", fields: Object.keys(c.changed) })) };
}

/** Names for a log line: "a, b, c", or the first ten "and 14 more". */
export const listNames = (names: string[]) => (names.length > 10 ? `${names.slice(0, 10).join(", ")} and ${names.length - 10} more` : names.join(", "));

/**
 * The warning for services the file does not name that still run on their schedule, or null:
 * "2 services are not in FILE and still run on their schedule: a, b. Pause them …".
 */
export function describeNotInFile(notInFile: string[], file: string): string | null {
  if (notInFile.length === 0) return null;
  const count = notInFile.length === 1 ? `1 service is not in ${file} and still runs on its schedule` : `${notInFile.length} services are not in ${file} and still run on their schedule`;
  return `${count}: ${listNames(notInFile)}. Pause them with \`switchyard services pause NAME...\`, or list each in the file with "enabled": false.`;
}

// A command that starts a Luigi worker (Python's `luigi`, or this project's `switchyard run`).
// A wrapper script cannot be told apart, and gets no note.
const STARTS_LUIGI = /(^|[\s/])(luigi|switchyard(\.mjs)?\s+run)(\s|$)/;

/**
 * The note for services whose commands start a Luigi worker without `{scheduler_url}`, or null.
 * Such a worker talks to the scheduler named in its luigi.cfg, so the scheduler cannot tell which
 * run it belongs to: a killed or cancelled run's tasks stay RUNNING until the worker times out.
 */
export function describeUntiedCommands(file: ServicesFile): string | null {
  const untied = file.services.filter((s) => [s.dailyCommand, s.hourlyCommand].some((c) => c && STARTS_LUIGI.test(c) && !c.includes("{scheduler_url}"))).map((s) => s.name);
  if (untied.length === 0) return null;
  const who = untied.length === 1 ? `1 service starts Luigi` : `${untied.length} services start Luigi`;
  return (
    `${who} without \`--scheduler-url {scheduler_url}\`: ${listNames(untied)}. ${untied.length === 1 ? "Its" : "Their"} workers are not tied to the run, so when a run is killed or cancelled ` +
    `its tasks stay RUNNING in the scheduler until the workers time out (worker_disconnect_delay, 60 s by default), and a re-run started meanwhile finds them still running elsewhere.`
  );
}

/** One line per change, for logs and the CLI: "shop-ok: added", "shop-bad: dailyCommand, launch". */
export function describeChanges(changes: ServiceChange[]): string[] {
  return changes.map((c) => `${c.service}: ${c.change === "added" ? "added" : `changed ${c.fields.join(", ")}`}`);
}

/** One line per fleet-wide limit the file changed: "maxRunning: 2 → no limit", "concurrency group demo_db: none → 2". */
export function describeLimits(limits: LimitChange[]): string[] {
  const value = (n: number | null, absent: string) => (n === null ? absent : String(n));
  return limits.map((l) => `${l.limit}: ${value(l.from, l.limit === "maxRunning" ? "no limit" : "none")} → ${value(l.to, "no limit")}`);
}
