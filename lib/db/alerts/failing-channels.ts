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

/** Looks at the last week of each channel's messages (the delivery log keeps 90 days; index alert_outbox_channel_idx). */
export async function channelDeliveryStates(db: Queryable, channels: string[]): Promise<ChannelDeliveryState[]> {
  if (channels.length === 0) return [];
  const r = await db.query<{ channel: string; failing_since: Date | null; undelivered: number; last_sent_at: Date | null }>(
    `WITH recent AS (
       SELECT channel, status, attempts, created_at, sent_at
         FROM alert_outbox
        WHERE channel = ANY($1::text[]) AND created_at > now() - interval '7 days' AND status <> 'skipped'
     ), sent AS (
       SELECT channel, max(created_at) AS last_created, max(sent_at) AS last_sent_at FROM recent WHERE status = 'sent' GROUP BY channel
     )
     SELECT c.channel,
            min(r.created_at) AS failing_since,
            count(r.channel)::int AS undelivered,
            max(s.last_sent_at) AS last_sent_at
       FROM unnest($1::text[]) AS c(channel)
       LEFT JOIN sent s ON s.channel = c.channel
       LEFT JOIN recent r ON r.channel = c.channel
                         AND (s.last_created IS NULL OR r.created_at > s.last_created)
                         -- given up on, waiting for a retry after an error, or a retry under way
                         AND (r.status = 'failed' OR (r.status = 'pending' AND r.attempts > 0) OR (r.status = 'sending' AND r.attempts > 1))
      GROUP BY c.channel`,
    [channels],
  );
  return r.rows.map((row) => ({ channel: row.channel, failingSince: row.failing_since, undelivered: row.undelivered, lastSentAt: row.last_sent_at }));
}

/** The channels that are sent to and not paused: the environment's (this process's settings) and the stored ones. */
export async function activeChannelNames(db: Queryable): Promise<string[]> {
  const env = environmentChannels().channels.filter((c) => !c.paused).map((c) => c.name);
  const r = await db.query<{ name: string }>("SELECT name FROM alert_channels WHERE NOT paused ORDER BY name");
  return [...new Set([...env, ...r.rows.map((row) => row.name)])];
}
