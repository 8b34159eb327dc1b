import { environmentChannels } from "@/lib/alerts/channels/load-channels";
import type { Queryable } from "@/lib/db/runs/run-columns";

// Which alert channels are failing right now: their messages since the last one that went through
// could not be sent (given up on, or still being retried after an error). A Slack webhook revoked
// at noon pages nobody at 3am; the home page's Component health says so (lib/health/get-health.ts).
// A paused channel is not failing: its messages are skipped on purpose.

export type ChannelDeliveryState = {
  channel: string;
  /** the first message not delivered since the last one sent, when the channel is failing */
  failingSince: Date | null;
  undelivered: number;
  lastSentAt: Date | null;
};

/**
 * Each channel's last delivered message in the last week, then the messages after it that failed:
 * two short range scans on alert_outbox_channel_created_idx per channel (migration 20261207120000).
 */
export const CHANNEL_DELIVERY_SQL = `
SELECT c.channel, f.since AS failing_since, coalesce(f.n, 0)::int AS undelivered, f.last_error, s.sent_at AS last_sent_at
  FROM unnest($1::text[]) AS c(channel)
  LEFT JOIN LATERAL (
    SELECT o.created_at, o.sent_at FROM alert_outbox o
     WHERE o.channel = c.channel AND o.status = 'sent' AND o.created_at > now() - interval '7 days'
     ORDER BY o.created_at DESC LIMIT 1) s ON true
  LEFT JOIN LATERAL (
    SELECT min(o.created_at) AS since, count(*) AS n, (array_agg(o.last_error ORDER BY o.id DESC))[1] AS last_error
      FROM alert_outbox o
     WHERE o.channel = c.channel AND o.created_at > coalesce(s.created_at, now() - interval '7 days')
       -- given up on, waiting for a retry after an error, or a retry under way
       AND (o.status = 'failed' OR (o.status = 'pending' AND o.attempts > 0) OR (o.status = 'sending' AND o.attempts > 1))
    HAVING count(*) > 0) f ON true`;

export async function channelDeliveryStates(db: Queryable, channels: string[]): Promise<ChannelDeliveryState[]> {
  if (channels.length === 0) return [];
  const r = await db.query<{ channel: string; failing_since: Date | null; undelivered: number; last_sent_at: Date | null }>(CHANNEL_DELIVERY_SQL, [channels]);
  return r.rows.map((row) => ({ channel: row.channel, failingSince: row.failing_since, undelivered: row.undelivered, lastSentAt: row.last_sent_at }));
}

/** The channels that are sent to and not paused: the environment's (this process's settings) and the stored ones. */
export async function activeChannelNames(db: Queryable): Promise<string[]> {
  const env = environmentChannels().channels.filter((c) => !c.paused).map((c) => c.name);
  const r = await db.query<{ name: string }>("SELECT name FROM alert_channels WHERE NOT paused ORDER BY name");
  return [...new Set([...env, ...r.rows.map((row) => row.name)])];
}
