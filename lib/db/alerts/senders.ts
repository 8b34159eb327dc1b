import type { Queryable } from "@/lib/db/runs/run-columns";

// Which channels the live alert loops send to from their own SWITCHYARD_ALERT_CHANNELS (migration
// 20261207180000_alert_senders). Runners and webs each read the variable from their own
// environment, which differ while a change rolls out: judged by one process's list alone, a
// failing channel that only some processes know would be opened by one evaluator and resolved by
// the next, paging every other channel each time. By the database's clock, so hosts need not agree.

/** A loop writes its row this often; one not written for SENDER_GONE_SECONDS is a loop that is gone. */
export const SENDER_RENEW_MS = 30_000;
export const SENDER_GONE_SECONDS = 120;

/** This loop's environment channels that it sends to (not paused), written now. */
export async function recordSender(db: Queryable, senderId: string, channels: string[]): Promise<void> {
  // a loop that died without forgetting its row leaves it here a day
  await db.query(
    `WITH gone AS (DELETE FROM alert_senders WHERE seen_at < now() - interval '1 day')
     INSERT INTO alert_senders (sender_id, channels, seen_at) VALUES ($1, $2::text[], now())
     ON CONFLICT (sender_id) DO UPDATE SET channels = excluded.channels, seen_at = excluded.seen_at`,
    [senderId, [...new Set(channels)].sort()],
  );
}

/** A loop that stops: its channels are no longer sent to by it. */
export async function forgetSender(db: Queryable, senderId: string): Promise<void> {
  await db.query("DELETE FROM alert_senders WHERE sender_id = $1", [senderId]);
}

export type LiveSender = { senderId: string; channels: string[] };

/** The live loops and the environment channels each sends to. */
export async function liveSenders(db: Queryable): Promise<LiveSender[]> {
  const r = await db.query<LiveSender>(
    `SELECT sender_id AS "senderId", channels FROM alert_senders WHERE seen_at >= now() - make_interval(secs => ${SENDER_GONE_SECONDS}) ORDER BY sender_id`,
  );
  return r.rows;
}

/** The environment channels some live loop sends to. */
export async function liveSenderChannels(db: Queryable): Promise<string[]> {
  return channelsOf(await liveSenders(db));
}

export const channelsOf = (senders: LiveSender[]): string[] => [...new Set(senders.flatMap((s) => s.channels))].sort();

/** An environment channel that some live alert loops send to and others do not list. */
export type ChannelElsewhere = { channel: string; sentBy: string[]; notBy: string[] };

/**
 * The environment channels not every live loop lists (SWITCHYARD_ALERT_CHANNELS differs between
 * processes: a change rolling out). A stored channel of the same name is sent to by every loop
 * anyway (with the stored settings where its environment lacks it), so it is left out.
 */
export function channelsNotEverywhere(senders: LiveSender[], storedNames: Iterable<string>): ChannelElsewhere[] {
  const stored = new Set(storedNames);
  return channelsOf(senders)
    .filter((name) => !stored.has(name))
    .map((channel) => ({
      channel,
      sentBy: senders.filter((s) => s.channels.includes(channel)).map((s) => s.senderId),
      notBy: senders.filter((s) => !s.channels.includes(channel)).map((s) => s.senderId),
    }))
    .filter((c) => c.notBy.length > 0);
}
