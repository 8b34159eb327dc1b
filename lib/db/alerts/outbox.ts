import type pg from "pg";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { withTransaction } from "@/lib/db/transaction";

// The alert outbox: one row per (incident, re-open, event, channel). Written in the transaction
// that changes the incident; claimed by senders under an advisory lock, a channel by one sender at
// a time, so two runners never hold the same row. A claim is a lease: a row left 'sending' longer
// than the lease (its sender crashed mid-send) is claimed again — the one case where a receiver
// can see a message twice, so every send carries the row's idempotency key for the receiver to
// drop the repeat.

export type OutboxMessage = {
  id: number;
  incident_id: number;
  seq: number;
  event: "open" | "resolve";
  channel: string;
  payload: Record<string, unknown>;
  attempts: number;
};

/** skipped: why it is not sent (null: it is); silenceId: the silence holding it (skipped until the silence ends) */
export type NewMessage = { incidentId: number; seq: number; event: "open" | "resolve"; channel: string; payload: unknown; skipped: string | null; silenceId?: number | null };

export async function enqueueMessages(db: Queryable, now: Date, messages: NewMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO alert_outbox (incident_id, seq, event, channel, payload, status, last_error, silence_id, next_attempt_at, created_at)
     SELECT m.incident_id, m.seq, m.event, m.channel, m.payload, CASE WHEN m.skipped IS NULL THEN 'pending' ELSE 'skipped' END, m.skipped, m.silence_id, $1, $1
       FROM jsonb_to_recordset($2::jsonb) AS m(incident_id bigint, seq int, event text, channel text, payload jsonb, skipped text, silence_id bigint)
      -- a resolve message follows an open one: none to a channel that did not get (or skipped) the open
      WHERE m.event = 'open'
         OR EXISTS (SELECT 1 FROM alert_outbox o WHERE o.incident_id = m.incident_id AND o.seq = m.seq AND o.event = 'open'
                       AND o.channel = m.channel AND o.status <> 'skipped')
     ON CONFLICT (incident_id, seq, event, channel) DO NOTHING`,
    [now, JSON.stringify(messages.map((m) => ({ incident_id: m.incidentId, seq: m.seq, event: m.event, channel: m.channel, payload: m.payload, skipped: m.skipped, silence_id: m.silenceId ?? null })))],
  );
  return result.rowCount ?? 0;
}

/**
 * Minutes a message for a channel this sender does not know is left to the processes that do
 * (runners and webs read SWITCHYARD_ALERT_CHANNELS each from its own environment, which differ
 * while a change rolls out); past them any sender takes it and gives up, naming the channel.
 */
export const UNKNOWN_CHANNEL_GRACE_MINUTES = 10;

/** Any constant: the key of the claim lock (claims are serialized so two senders never share a channel). */
const CLAIM_LOCK = 0x5717_a1e7;

/** At most this many messages of one channel in one claim: sent one after another, each may take the transport's 10 s timeout, and all must fit in the lease. */
export const PER_CHANNEL_CLAIM = 10;

/**
 * Claim up to `limit` due messages (and ones whose sender's lease ran out) for `sender`, of the
 * channels it knows, in the order they were written. A channel is sent to by one sender at a time
 * (one with a message in flight under a live lease keeps the channel: Slack's webhooks take one
 * message a second, and a receiver's ordering is ours), and a resolve waits until its open has
 * settled, so nobody reads "resolved" before "open". Claims take a transaction-level advisory lock,
 * so two senders claiming at once cannot both find a channel free.
 */
export async function claimMessages(pool: pg.Pool, sender: string, now: Date, limit: number, leaseSeconds: number, known: string[]): Promise<OutboxMessage[]> {
  const result = await withTransaction(
    pool,
    (client) =>
      client.query<OutboxMessage>(
        `UPDATE alert_outbox o SET status = 'sending', claimed_by = $1, claimed_at = $2, attempts = o.attempts + 1
          WHERE o.id IN (SELECT id FROM (SELECT c.id, row_number() OVER (PARTITION BY c.channel ORDER BY c.id) AS nth
                                           FROM alert_outbox c
                                          WHERE ((c.status = 'pending' AND c.next_attempt_at <= $2)
                                                 OR (c.status = 'sending' AND c.claimed_at < $2 - make_interval(secs => $4::int)))
                                            AND (c.channel = ANY($5::text[]) OR c.created_at < $2 - make_interval(mins => ${UNKNOWN_CHANNEL_GRACE_MINUTES}))
                                            AND NOT EXISTS (SELECT 1 FROM alert_outbox s
                                                             WHERE s.status = 'sending' AND s.channel = c.channel
                                                               AND s.claimed_at >= $2 - make_interval(secs => $4::int))
                                            -- a resolve waits for its open; one status a subquery, so each reads its small partial index, not the table
                                            AND NOT (c.event = 'resolve' AND (EXISTS (SELECT 1 FROM alert_outbox p WHERE p.status = 'pending' AND p.incident_id = c.incident_id
                                                                                         AND p.seq = c.seq AND p.event = 'open' AND p.channel = c.channel)
                                                                              OR EXISTS (SELECT 1 FROM alert_outbox p WHERE p.status = 'sending' AND p.incident_id = c.incident_id
                                                                                         AND p.seq = c.seq AND p.event = 'open' AND p.channel = c.channel)))) due
                          WHERE nth <= ${PER_CHANNEL_CLAIM} ORDER BY id LIMIT $3)
            -- checked again on the row itself: a silence may have held it since the scan
            AND (o.status = 'pending' OR (o.status = 'sending' AND o.claimed_at < $2 - make_interval(secs => $4::int)))
         RETURNING id, incident_id, seq, event, channel, payload, attempts`,
        [sender, now, limit, leaseSeconds, known],
      ),
    { lock: CLAIM_LOCK },
  );
  return result.rows.sort((a, b) => a.id - b.id);
}

/**
 * Hands claimed messages back unsent (their channel failed on an earlier one in this claim): the
 * claim's attempt is not counted, and they are due at `dueAt` (the receiver's Retry-After) or at
 * once, when the next pass tries the channel again with its oldest message.
 */
export async function releaseClaims(pool: pg.Pool, ids: number[], sender: string, dueAt: Date | null): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await pool.query(
    `UPDATE alert_outbox SET status = 'pending', attempts = attempts - 1, next_attempt_at = greatest(next_attempt_at, coalesce($3::timestamptz, next_attempt_at))
      WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2`,
    [ids, sender, dueAt],
  );
  return r.rowCount ?? 0;
}

/** Only the sender holding the claim may record its outcome (a late sender whose lease was taken over may not). */
export async function markSent(pool: pg.Pool, id: number, sender: string, now: Date): Promise<boolean> {
  const r = await pool.query(`UPDATE alert_outbox SET status = 'sent', sent_at = $3, last_error = NULL WHERE id = $1 AND status = 'sending' AND claimed_by = $2`, [id, sender, now]);
  return r.rowCount === 1;
}

/** A failed attempt: try again at `retryAt`, or give up (`retryAt` null) and show the error. */
export async function markAttemptFailed(pool: pg.Pool, id: number, sender: string, error: string, retryAt: Date | null): Promise<boolean> {
  const r = await pool.query(
    `UPDATE alert_outbox SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = coalesce($4::timestamptz, next_attempt_at), last_error = left($3, 2000)
      WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
    [id, sender, error, retryAt],
  );
  return r.rowCount === 1;
}

/**
 * Deletes the delivery log's rows that are settled (sent, skipped or failed) and older than `days`:
 * one message per incident event and channel, plus digests and test sends, would otherwise pile up
 * for ever. Pending and in-flight ones are never touched; no settled key is ever enqueued again
 * (a re-open is a new seq, a digest is written within hours of its day).
 */
export async function pruneDeliveries(db: Queryable, days: number): Promise<number> {
  const r = await db.query("DELETE FROM alert_outbox WHERE status IN ('sent', 'skipped', 'failed') AND created_at < now() - make_interval(days => $1)", [days]);
  return r.rowCount ?? 0;
}
