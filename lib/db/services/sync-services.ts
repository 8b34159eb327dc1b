import type pg from "pg";
import type { ServicesFile } from "@/lib/schemas/services";
import { saveService } from "@/lib/db/services/save-service";

// The config file is the source of truth at start: every service in it is written as given
// (an API edit made since is overwritten — edit the file to keep a change), its concurrency
// groups are declared, and the fleet-wide limit is set. Services that are no longer in the file
// are left alone (their history stays); disable them with `"enabled": false` or the API.
// One transaction, so two runners starting together cannot interleave half-synced services.

export type SyncResult = { services: number; groups: number };

const SYNC_LOCK = 0x5717_5e1c;

export async function syncServices(pool: pg.Pool, file: ServicesFile): Promise<SyncResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [SYNC_LOCK]);
    for (const [name, maxRunning] of Object.entries(file.concurrencyGroups)) {
      await client.query(
        `INSERT INTO concurrency_groups (name, max_running) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET max_running = excluded.max_running, updated_at = now()`,
        [name, maxRunning],
      );
    }
    for (const service of file.services) await saveService(client, service, "config");
    await client.query("UPDATE runner_control SET max_running = $1, changed_at = now(), changed_by = 'config', reason = 'services file' WHERE id = 1", [file.maxRunning]);
    await client.query("COMMIT");
    return { services: file.services.length, groups: Object.keys(file.concurrencyGroups).length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
