import { environmentChannels } from "@/lib/alerts/channels/load-channels";
import { channelsOf, liveSenders, type LiveSender } from "@/lib/db/alerts/senders";
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
 * Each channel of `names` (an SQL text[] expression) with its last delivered message in the week
 * before `now` (an SQL timestamptz expression), then the messages after it that failed: two short
 * range scans on alert_outbox_channel_created_idx per channel (migration 20261207120000). Read by
 * Component health and /metrics (undelivered: given up on or being retried) and by the
 * channel_failing rule (given_up: only what the sender gave up on, so a slow minute pages nobody).
 */
export function channelDeliverySql(names: string, now: string): string {
  return `
SELECT c.channel, f.since AS failing_since, coalesce(f.n, 0)::int AS undelivered, s.sent_at AS last_sent_at,
       coalesce(f.given_up, 0)::int AS given_up, f.given_up_since, f.last_error
  FROM unnest(${names}) AS c(channel)
  LEFT JOIN LATERAL (
    SELECT o.created_at, o.sent_at FROM alert_outbox o
     WHERE o.channel = c.channel AND o.status = 'sent' AND o.created_at > ${now} - interval '7 days'
     ORDER BY o.created_at DESC LIMIT 1) s ON true
  LEFT JOIN LATERAL (
    SELECT min(o.created_at) AS since, count(*) AS n,
           count(*) FILTER (WHERE o.status = 'failed') AS given_up, min(o.created_at) FILTER (WHERE o.status = 'failed') AS given_up_since,
           (array_agg(o.last_error ORDER BY o.id DESC) FILTER (WHERE o.status = 'failed'))[1] AS last_error
      FROM alert_outbox o
     WHERE o.channel = c.channel AND o.created_at > coalesce(s.created_at, ${now} - interval '7 days')
       -- given up on, waiting for a retry after an error, or a retry under way
       AND (o.status = 'failed' OR (o.status = 'pending' AND o.attempts > 0) OR (o.status = 'sending' AND o.attempts > 1))
    HAVING count(*) > 0) f ON true`;
}

export async function channelDeliveryStates(db: Queryable, channels: string[]): Promise<ChannelDeliveryState[]> {
  if (channels.length === 0) return [];
  const r = await db.query<{ channel: string; failing_since: Date | null; undelivered: number; last_sent_at: Date | null }>(channelDeliverySql("$1::text[]", "now()"), [channels]);
  return r.rows.map((row) => ({ channel: row.channel, failingSince: row.failing_since, undelivered: row.undelivered, lastSentAt: row.last_sent_at }));
}

/** The names sent to: those of `channels` not paused, and those the live alert loops send to from their environments. */
export function sentToChannelNames(channels: Array<{ name: string; paused?: boolean }>, senders: LiveSender[]): string[] {
  return [...new Set([...channels.filter((c) => !c.paused).map((c) => c.name), ...channelsOf(senders)])];
}

export type ChannelsSentTo = { names: string[]; senders: LiveSender[]; storedNames: string[] };

/**
 * The channels sent to, as this process's alert loop would load them (its environment's, then the
 * stored ones its environment does not shadow), with the live loops and stored names they were
 * judged from: two reads, for callers that also ask which environments differ.
 */
export async function channelsSentTo(db: Queryable): Promise<ChannelsSentTo> {
  const env = environmentChannels().channels;
  const envNames = new Set(env.map((c) => c.name));
  const [stored, senders] = await Promise.all([db.query<{ name: string; paused: boolean }>("SELECT name, paused FROM alert_channels ORDER BY name"), liveSenders(db)]);
  const names = sentToChannelNames([...env, ...stored.rows.filter((r) => !envNames.has(r.name))], senders);
  return { names, senders, storedNames: stored.rows.map((r) => r.name) };
}

export async function activeChannelNames(db: Queryable): Promise<string[]> {
  return (await channelsSentTo(db)).names;
}
