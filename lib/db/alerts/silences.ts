import type pg from "pg";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { withTransaction } from "@/lib/db/transaction";

// Silences (migration 20261207050000_alert_silences): one service's alert messages held back for
// a while. While a silence is active, enqueueChanges (lib/alerts/enqueue.ts) records each open
// message about the service's incidents as skipped with the silence's id ("held"; a resolve is
// never held: it follows its open where that went). When the silence ends —
// by hand (endSilence) or when its time is up (expireSilences, from every alert loop) — the held
// open message of each incident that is still open goes out after all: a problem that outlived the
// silence is told. An incident that resolved meanwhile stays quiet (no open was sent, so no
// resolve follows), and so does a non-critical one to a channel in its quiet hours at that
// moment (`quiet`: as if it had opened then). At most one silence per service is not yet ended:
// a new one replaces it.

/** A channel in its quiet hours now, with the note its skipped messages carry (lib/alerts/match-channel.ts quietChannels). */
export type QuietChannel = { channel: string; note: string };

export type SilenceRow = { id: number; service_id: number; ends_at: Date; reason: string | null; created_by: string; created_at: Date };

const COLUMNS = "id, service_id, ends_at, reason, created_by, created_at";

/** The active silence of each of these services that has one (ends_at still ahead of `now`). */
export async function activeSilences(db: Queryable, serviceIds: number[], now: Date): Promise<Map<number, SilenceRow>> {
  if (serviceIds.length === 0) return new Map();
  const r = await db.query<SilenceRow>(
    `SELECT ${COLUMNS} FROM alert_silences WHERE service_id = ANY($1::int[]) AND ended_at IS NULL AND ends_at > $2`,
    [serviceIds, now],
  );
  return new Map(r.rows.map((s) => [s.service_id, s]));
}

/** Every active silence, soonest end first, with its service's name and labels. */
export async function listActiveSilences(db: Queryable, now: Date): Promise<Array<SilenceRow & { service_name: string; service_labels: Record<string, unknown> }>> {
  const r = await db.query<SilenceRow & { service_name: string; service_labels: Record<string, unknown> }>(
    `SELECT a.id, a.service_id, a.ends_at, a.reason, a.created_by, a.created_at, s.name AS service_name, s.labels AS service_labels
       FROM alert_silences a JOIN services s ON s.id = a.service_id
      WHERE a.ended_at IS NULL AND a.ends_at > $1 ORDER BY a.ends_at, a.id`,
    [now],
  );
  return r.rows;
}

/**
 * Silences a service until `endsAt`, replacing the silence it has (its held messages move to the
 * new one); one whose time is up is ended as expired first, releasing what it held. Run it in
 * the caller's transaction.
 */
export async function startSilence(
  db: Queryable,
  s: { serviceId: number; endsAt: Date; reason: string | null; by: string; now: Date; quiet: QuietChannel[] },
): Promise<{ silence: SilenceRow; replaced: SilenceRow | null }> {
  const previous = (await db.query<SilenceRow>(`SELECT ${COLUMNS} FROM alert_silences WHERE service_id = $1 AND ended_at IS NULL FOR UPDATE`, [s.serviceId])).rows[0] ?? null;
  const active = previous !== null && previous.ends_at > s.now;
  if (previous) {
    await db.query("UPDATE alert_silences SET ended_at = $2, ended_by = $3 WHERE id = $1", [previous.id, active ? s.now : previous.ends_at, active ? "replaced" : "expired"]);
    if (!active) await releaseHeld(db, previous.id, s.quiet, previous.ends_at);
  }
  const silence = (
    await db.query<SilenceRow>(`INSERT INTO alert_silences (service_id, ends_at, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`, [
      s.serviceId,
      s.endsAt,
      s.reason,
      s.by,
      s.now,
    ])
  ).rows[0];
  if (active) await db.query("UPDATE alert_outbox SET silence_id = $2 WHERE silence_id = $1 AND status = 'skipped'", [previous.id, silence.id]);
  return { silence, replaced: active ? previous : null };
}

/** Ends a service's active silence by hand and releases what it held; null when it has none. Run it in the caller's transaction. */
export async function endSilence(db: Queryable, serviceId: number, by: string, now: Date, quiet: QuietChannel[]): Promise<{ silence: SilenceRow; released: number } | null> {
  const r = await db.query<SilenceRow>(
    `UPDATE alert_silences SET ended_at = $3, ended_by = $2 WHERE service_id = $1 AND ended_at IS NULL AND ends_at > $3 RETURNING ${COLUMNS}`,
    [serviceId, by, now],
  );
  if (r.rows.length === 0) return null;
  return { silence: r.rows[0], released: await releaseHeld(db, r.rows[0].id, quiet, now) };
}

/**
 * Ends the silences whose time is up and releases what they held, each in its own transaction
 * (two alert loops at once: SKIP LOCKED, each silence is ended once). Returns how many ended.
 */
export async function expireSilences(pool: pg.Pool, now: Date, quiet: QuietChannel[]): Promise<{ ended: number; released: number }> {
  let ended = 0;
  let released = 0;
  for (;;) {
    const done = await withTransaction(pool, async (db) => {
      const due = await db.query<{ id: number; ends_at: Date }>(
        "SELECT id, ends_at FROM alert_silences WHERE ended_at IS NULL AND ends_at <= $1 ORDER BY ends_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
        [now],
      );
      if (due.rows.length === 0) return false;
      await db.query("UPDATE alert_silences SET ended_at = ends_at, ended_by = 'expired' WHERE id = $1", [due.rows[0].id]);
      released += await releaseHeld(db, due.rows[0].id, quiet, due.rows[0].ends_at);
      ended++;
      return true;
    });
    if (!done) return { ended, released };
  }
}

/**
 * Puts back in the queue the held open messages of this silence whose incident is still open (the
 * same opening: a re-open is a new message), but for a channel in `quiet` hours now a non-critical
 * one stays skipped, with that channel's note. The incidents are locked, so an incident resolved at
 * this instant either resolved first (its open stays held) or resolves after (its resolve
 * follows). Each message says until when it was held (payload.heldUntil, the silence's end), so
 * whoever receives it hours after the incident opened knows why. Returns how many were queued.
 */
async function releaseHeld(db: Queryable, silenceId: number, quiet: QuietChannel[], heldUntil: Date): Promise<number> {
  const r = await db.query<{ status: string }>(
    `WITH held AS (
       SELECT o.id, o.channel, i.severity FROM alert_outbox o JOIN alert_incidents i ON i.id = o.incident_id
        WHERE o.silence_id = $1 AND o.status = 'skipped' AND o.event = 'open' AND i.status = 'open' AND i.opened_count = o.seq
          FOR UPDATE OF o, i),
     quiet AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS q(channel text, note text)),
     decided AS (SELECT h.id, CASE WHEN h.severity <> 'critical' THEN q.note END AS note FROM held h LEFT JOIN quiet q ON q.channel = h.channel)
     UPDATE alert_outbox o
        SET status = CASE WHEN d.note IS NULL THEN 'pending' ELSE 'skipped' END,
            last_error = d.note, next_attempt_at = now(), silence_id = NULL,
            payload = o.payload || jsonb_build_object('heldUntil', $3::text)
       FROM decided d WHERE o.id = d.id
     RETURNING o.status`,
    [silenceId, JSON.stringify(quiet), heldUntil.toISOString()],
  );
  return r.rows.filter((row) => row.status === "pending").length;
}
