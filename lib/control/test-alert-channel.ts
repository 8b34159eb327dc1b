import type pg from "pg";
import { loadAlertConfig } from "@/lib/alerts/alert-config";
import { buildDigest } from "@/lib/alerts/channels/digest";
import { findChannel } from "@/lib/alerts/channels/load-channels";
import { sendToChannel } from "@/lib/alerts/transports";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { notFound } from "@/lib/control/errors";
import { insertChannelMessage } from "@/lib/db/alerts/channel-messages";

// POST /api/v1/alert-channels/{name}/test: sends what the channel's digest would say now, through
// the channel's own transport, and answers with the outcome — "webhook 127.0.0.1:8080 answered
// 500", "smtp 127.0.0.1:2525: connect ECONNREFUSED 127.0.0.1:2525" — as data, not as an error: a
// channel that does not work is what the admin is here to find out. The send is recorded in the
// channel's delivery log and, as an external call, in the audit log before and after.

export type TestSendResult = { channel: string; delivered: boolean; error: string | null };

export async function testChannel(pool: pg.Pool, actor: Actor, input: { name: string; reason?: string }, now: () => Date = () => new Date()): Promise<TestSendResult> {
  return audited(
    pool,
    actor,
    { intent: "channel.test", targetId: input.name, reason: input.reason },
    async (db) => {
      const channel = await findChannel(db, input.name);
      if (!channel) throw notFound(`channel "${input.name}"`);
      const payload = await buildDigest(pool, channel, publicUrl(), now(), "test");
      let error: string | null = null;
      try {
        await sendToChannel(channel, payload, now());
      } catch (e) {
        error = (e as Error).message;
      }
      await insertChannelMessage(db, now(), { channel: channel.name, event: "test", payload, dedupeKey: null, status: error === null ? "sent" : "failed", lastError: error });
      return { channel: channel.name, delivered: error === null, error };
    },
    (r) => ({ delivered: r.delivered, error: r.error }),
  );
}

function publicUrl(): string {
  try {
    return loadAlertConfig().publicUrl;
  } catch {
    return `http://127.0.0.1:${process.env.PORT || "3000"}`;
  }
}
