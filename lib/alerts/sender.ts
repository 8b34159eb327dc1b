import type pg from "pg";
import { DeliveryError, sendToChannel, type ChannelPayload } from "@/lib/alerts/transports";
import { markSkipped } from "@/lib/db/alerts/channel-messages";
import { claimMessages, markAttemptFailed, markSent, releaseClaims, type OutboxMessage } from "@/lib/db/alerts/outbox";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// Drains the outbox: claim a batch (one sender per channel at a time, so senders in several
// runners share the work without overlap and a channel's messages arrive in order), send each
// channel's messages one after another, record the outcome. A failure is retried with exponential backoff
// and full jitter (base × 2^(attempt-1), capped), or later when the receiver said how long to
// wait (Retry-After on a 429 or 503: Slack's rate limit), and after maxAttempts the row is
// 'failed' with its last error, shown on the incidents page.
//
// Exactly once: a row is sent only by the sender holding its claim. The one gap is a crash after
// the receiver accepted a message but before markSent: the lease runs out and another sender
// sends it again with the same Idempotency-Key header, which receivers use to drop the repeat.

export type SenderOptions = {
  id: string;
  channels: AlertChannel[];
  batch?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  leaseSeconds?: number;
  random?: () => number;
  send?: typeof sendToChannel;
  /** A channel stops taking its next message after this long in a pass (the rest wait for the next one): a slow receiver must not hold up the alert loop's evaluation. */
  budgetMs?: number;
};

/**
 * How long a claim is its sender's. A pass holds a claim at most the budget (5 s) plus one send
 * (the transport's 10 s timeout): a minute is four times that, and the most a channel waits when
 * its sender died mid-send.
 */
const LEASE_SECONDS = 60;

/** The longest Retry-After a receiver gets honoured: past it, the normal backoff goes on. */
const MAX_RETRY_AFTER_MS = 3_600_000;

export function retryDelayMs(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** One pass: send what is due now, each channel's messages one after another. Returns how many were claimed. */
export async function sendDueMessages(pool: pg.Pool, o: SenderOptions, now: () => Date): Promise<number> {
  const claimed = await claimMessages(pool, o.id, now(), o.batch ?? 20, o.leaseSeconds ?? LEASE_SECONDS, o.channels.map((c) => c.name));
  const byName = new Map(o.channels.map((c) => [c.name, c]));
  const deadline = performance.now() + (o.budgetMs ?? 5_000);
  const queues = new Map<string, OutboxMessage[]>();
  for (const m of claimed) {
    const queue = queues.get(m.channel);
    if (queue) queue.push(m);
    else queues.set(m.channel, [m]);
  }
  await Promise.all([...queues].map(([name, messages]) => sendInOrder(pool, o, byName.get(name), messages, now, deadline)));
  return claimed.length;
}

/**
 * One channel's claimed messages, oldest first. The first that fails takes its backoff and hands
 * the rest back unsent: a receiver that is down is not asked twenty times in a pass, and one that
 * asked to wait (Retry-After) gets nothing from this channel until then. Past the pass's budget the
 * rest go back too, due at once: the next pass (a second later) goes on with them.
 */
async function sendInOrder(pool: pg.Pool, o: SenderOptions, channel: AlertChannel | undefined, messages: OutboxMessage[], now: () => Date, deadline: number): Promise<void> {
  const send = o.send ?? sendToChannel;
  for (const [i, m] of messages.entries()) {
    if (i > 0 && performance.now() >= deadline) {
      await releaseClaims(pool, messages.slice(i).map((r) => r.id), o.id, null);
      return;
    }
    try {
      if (!channel) throw new Error(`channel "${m.channel}" is no longer configured`);
      // paused after the message was queued: held back, visible in the delivery log
      if (channel.paused) {
        await markSkipped(pool, m.id, o.id, "channel paused");
        continue;
      }
      await send(channel, m.payload as ChannelPayload, now());
      await markSent(pool, m.id, o.id, now());
    } catch (error) {
      const gaveUp = !channel || m.attempts >= (o.maxAttempts ?? 8);
      const backoff = retryDelayMs(m.attempts, o.baseDelayMs ?? 5_000, o.maxDelayMs ?? 600_000, o.random ?? Math.random);
      // a receiver that said how long to wait (Slack's 429) is not asked again sooner; at most an hour
      const asked = error instanceof DeliveryError && error.retryAfterMs !== null ? Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
      const delay = Math.max(backoff, asked);
      await markAttemptFailed(pool, m.id, o.id, (error as Error).message, gaveUp ? null : new Date(now().getTime() + delay));
      // a channel nobody configures any more fails each message on its own; a real receiver's failure holds the rest
      if (!channel) continue;
      const rest = messages.slice(i + 1).map((r) => r.id);
      await releaseClaims(pool, rest, o.id, asked > 0 ? new Date(now().getTime() + asked) : null);
      return;
    }
  }
}
