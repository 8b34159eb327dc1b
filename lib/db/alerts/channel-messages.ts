import type pg from "pg";
import type { Queryable } from "@/lib/db/runs/run-columns";

// Outbox rows that belong to a channel rather than to an incident (daily digests, test sends),
// a paused channel's held messages, and each channel's delivery log for the Channels page.

/** Which of these digest keys are in the outbox already (a cheap check before building a digest). */
export async function writtenDedupeKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const r = await db.query<{ dedupe_key: string }>("SELECT dedupe_key FROM alert_outbox WHERE dedupe_key = ANY($1::text[])", [keys]);
  return new Set(r.rows.map((row) => row.dedupe_key));
}

export type ChannelMessage = {
  channel: string;
  event: "digest" | "test";
  payload: unknown;
  dedupeKey: string | null;
  /** pending (the sender sends it), or the outcome of a send made already (a test send) */
  status: "pending" | "sent" | "failed" | "skipped";
  lastError?: string | null;
};

/** One outbox row not tied to an incident; false when its dedupe key was written before (by another evaluator). */
export async function insertChannelMessage(db: Queryable, now: Date, m: ChannelMessage): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at, dedupe_key)
     VALUES (NULL, 0, $2, $3, $4, $5, CASE WHEN $5 IN ('sent', 'failed') THEN 1 ELSE 0 END, $6, $1, CASE WHEN $5 = 'sent' THEN $1::timestamptz END, $1, $7)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [now, m.event, m.channel, JSON.stringify(m.payload), m.status, m.lastError ?? null, m.dedupeKey],
  );
  return r.rowCount === 1;
}

/** A claimed message for a paused channel: recorded as skipped, not sent (only by the sender holding the claim). */
export async function markSkipped(pool: pg.Pool, id: number, sender: string, why: string): Promise<boolean> {
  const r = await pool.query("UPDATE alert_outbox SET status = 'skipped', last_error = $3 WHERE id = $1 AND status = 'sending' AND claimed_by = $2", [id, sender, why]);
  return r.rowCount === 1;
}

export type ChannelDelivery = {
  id: number;
  channel: string;
  event: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  summary: string | null;
  incident_id: number | null;
};

/**
 * The last `perChannel` outbox rows of each channel (alert_outbox_channel_idx: one index range per
 * channel): of the named ones, or of every channel that has any ("all", the incidents page — found
 * by a skip scan over the same index, one probe per channel, not per row).
 */
export async function listChannelDeliveries(db: Queryable, channels: string[] | "all", perChannel: number): Promise<ChannelDelivery[]> {
  if (channels !== "all" && channels.length === 0) return [];
  const names =
    channels === "all"
      ? `(WITH RECURSIVE c AS (
            SELECT min(channel) AS name FROM alert_outbox
            UNION ALL
            SELECT (SELECT min(o.channel) FROM alert_outbox o WHERE o.channel > c.name) FROM c WHERE c.name IS NOT NULL)
          SELECT name FROM c WHERE name IS NOT NULL) c`
      : "unnest($2::text[]) AS c(name)";
  const r = await db.query<ChannelDelivery>(
    `SELECT d.id, d.channel, d.event, d.status, d.attempts, d.last_error, d.created_at, d.sent_at, d.incident_id,
            coalesce(i.summary, d.payload->>'summary') AS summary
       FROM ${names}
      CROSS JOIN LATERAL (SELECT * FROM alert_outbox o WHERE o.channel = c.name ORDER BY o.id DESC LIMIT $1) d
       LEFT JOIN alert_incidents i ON i.id = d.incident_id
      ORDER BY d.channel, d.id DESC`,
    channels === "all" ? [perChannel] : [perChannel, channels],
  );
  return r.rows;
}
