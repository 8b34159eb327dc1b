import type pg from "pg";
import { sendToChannel, type ChannelPayload } from "@/lib/alerts/transports";
import { markSkipped } from "@/lib/db/alerts/channel-messages";
import { claimMessages, markAttemptFailed, markSent } from "@/lib/db/alerts/outbox";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// Drains the outbox: claim a batch (SKIP LOCKED, so senders in several runners share the work
// without overlap), send each, record the outcome. A failure is retried with exponential backoff
// and full jitter (base × 2^(attempt-1), capped), and after maxAttempts the row is 'failed' with
// its last error, shown on the incidents page.
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
};

export function retryDelayMs(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** One pass: send what is due now. Returns how many were claimed. */
export async function sendDueMessages(pool: pg.Pool, o: SenderOptions, now: () => Date): Promise<number> {
  const claimed = await claimMessages(pool, o.id, now(), o.batch ?? 20, o.leaseSeconds ?? 120, o.channels.map((c) => c.name));
  const byName = new Map(o.channels.map((c) => [c.name, c]));
  const send = o.send ?? sendToChannel;
  await Promise.all(
    claimed.map(async (m) => {
      const channel = byName.get(m.channel);
      try {
        if (!channel) throw new Error(`channel "${m.channel}" is no longer configured`);
        // paused after the message was queued: held back, visible in the delivery log
        if (channel.paused) return void (await markSkipped(pool, m.id, o.id, "channel paused"));
        await send(channel, m.payload as ChannelPayload, now());
        await markSent(pool, m.id, o.id, now());
      } catch (error) {
        const gaveUp = !channel || m.attempts >= (o.maxAttempts ?? 8);
        const delay = retryDelayMs(m.attempts, o.baseDelayMs ?? 5_000, o.maxDelayMs ?? 600_000, o.random ?? Math.random);
        await markAttemptFailed(pool, m.id, o.id, (error as Error).message, gaveUp ? null : new Date(now().getTime() + delay));
      }
    }),
  );
  return claimed.length;
}
