import { openingKey, openSecrets, sealingKey, sealSecrets } from "@/lib/alerts/channels/secret-box";
import type { StoredChannel } from "@/lib/alerts/channels/stored-channel";
import type { Queryable } from "@/lib/db/runs/run-columns";

// alert_channels: the channels added on the Channels page, through the API or from a services
// file. Two column lists on purpose: PUBLIC_COLUMNS for everything a page or an answer is built
// from, and the secrets column only where a channel is sent to or merged with an edit. The
// secrets are sealed on the way in and opened on the way out (secret-box.ts), here and nowhere else.

const PUBLIC_COLUMNS = "name, kind, target, filters, quiet_hours, digest_time, digest_time_zone, paused, source, updated_at, updated_by";

type Row = {
  name: string;
  kind: StoredChannel["kind"];
  target: Record<string, unknown>;
  secrets?: unknown;
  filters: StoredChannel["filters"];
  quiet_hours: StoredChannel["quietHours"];
  digest_time: string | null;
  digest_time_zone: string | null;
  paused: boolean;
  source: "api" | "file";
  updated_at: Date;
  updated_by: string | null;
};

export type ChannelRecord = {
  channel: StoredChannel;
  source: "api" | "file";
  updatedAt: Date;
  updatedBy: string | null;
  /** why the secrets could not be opened (sealed under another key): the channel cannot be sent to */
  secretsError?: string;
};

function record(r: Row, key: Buffer | undefined): ChannelRecord {
  let secrets: Record<string, string> = {};
  let secretsError: string | undefined;
  try {
    secrets = openSecrets(r.secrets, key);
  } catch (error) {
    secretsError = (error as Error).message;
  }
  return {
    ...(secretsError ? { secretsError } : {}),
    channel: {
      name: r.name,
      kind: r.kind,
      target: r.target,
      secrets,
      filters: r.filters,
      quietHours: r.quiet_hours,
      digest: r.digest_time && r.digest_time_zone ? { time: r.digest_time, timeZone: r.digest_time_zone } : null,
      paused: r.paused,
    },
    source: r.source,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/** Every stored channel by name; `withSecrets` only for the sender (the secrets are then in channel.secrets). */
export async function listChannelRecords(db: Queryable, withSecrets: boolean): Promise<ChannelRecord[]> {
  const r = await db.query<Row>(`SELECT ${PUBLIC_COLUMNS}${withSecrets ? ", secrets" : ""} FROM alert_channels ORDER BY name`);
  const key = withSecrets ? openingKey() : undefined;
  return r.rows.map((row) => record(row, key));
}

/** One channel with its secrets, locked for the caller's transaction (an edit merges over it). */
export async function getChannelForUpdate(db: Queryable, name: string): Promise<ChannelRecord | null> {
  const r = await db.query<Row>(`SELECT ${PUBLIC_COLUMNS}, secrets FROM alert_channels WHERE name = $1 FOR UPDATE`, [name]);
  return r.rows[0] ? record(r.rows[0], openingKey()) : null;
}

const values = (c: StoredChannel) => [c.name, c.kind, JSON.stringify(c.target), JSON.stringify(sealSecrets(c.secrets, sealingKey())), JSON.stringify(c.filters), c.quietHours ? JSON.stringify(c.quietHours) : null, c.digest?.time ?? null, c.digest?.timeZone ?? null, c.paused];

/** false when a channel of that name exists already. */
export async function insertChannel(db: Queryable, c: StoredChannel, source: "api" | "file", by: string): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO alert_channels (name, kind, target, secrets, filters, quiet_hours, digest_time, digest_time_zone, paused, source, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (name) DO NOTHING`,
    [...values(c), source, by],
  );
  return r.rowCount === 1;
}

export async function updateChannelRow(db: Queryable, c: StoredChannel, by: string, source?: "api" | "file"): Promise<boolean> {
  const r = await db.query(
    `UPDATE alert_channels SET kind = $2, target = $3, secrets = $4, filters = $5, quiet_hours = $6, digest_time = $7, digest_time_zone = $8,
            paused = $9, updated_by = $10, source = coalesce($11, source), updated_at = now()
      WHERE name = $1`,
    [...values(c), by, source ?? null],
  );
  return r.rowCount === 1;
}

/** A conditional write: false when there is no such channel or it already was in that state. */
export async function setChannelPaused(db: Queryable, name: string, paused: boolean, by: string): Promise<boolean> {
  const r = await db.query("UPDATE alert_channels SET paused = $2, updated_by = $3, updated_at = now() WHERE name = $1 AND paused <> $2", [name, paused, by]);
  return r.rowCount === 1;
}

export async function deleteChannelRow(db: Queryable, name: string): Promise<boolean> {
  const r = await db.query("DELETE FROM alert_channels WHERE name = $1", [name]);
  return r.rowCount === 1;
}
