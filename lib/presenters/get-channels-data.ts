import { environmentChannels } from "@/lib/alerts/channels/load-channels";
import { channelView, fromStored, type ChannelView } from "@/lib/alerts/channels/stored-channel";
import { listChannelDeliveries } from "@/lib/db/alerts/channel-messages";
import { listChannelRecords } from "@/lib/db/alerts/channels";
import { channelDeliveryStates } from "@/lib/db/alerts/failing-channels";
import { channelsNotEverywhere, liveSenders, type ChannelElsewhere } from "@/lib/db/alerts/senders";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { deliveryView, type DeliveryView } from "@/lib/presenters/delivery-view";

// The Channels page and GET /api/v1/alert-channels: every channel (the environment's first,
// read-only), its state and its last deliveries. Secrets are read only for an admin, and then
// only to be masked; anybody else's answer is built without ever selecting them.

export type ChannelDeliveryView = DeliveryView;

/** A channel sent to whose messages since its last delivered one failed (as Component health and channel_failing see it). */
export type ChannelFailing = { since: string; undelivered: number };

export type ChannelsData = {
  /** secretsError (admins only): the stored secrets cannot be opened by this process */
  channels: Array<ChannelView & { shadowed: boolean; secretsError?: string; failing: ChannelFailing | null; deliveries: ChannelDeliveryView[] }>;
  environmentError: string | null;
  /** empty unless the processes' environments list different channels (a change rolling out) */
  environmentsDiffer: ChannelElsewhere[];
  now: string;
};

export async function getChannelsData(db: Queryable, admin: boolean, perChannel = 15): Promise<ChannelsData> {
  const env = environmentChannels();
  const names = new Set(env.channels.map((c) => c.name));
  const stored = await listChannelRecords(db, admin);
  const views = [
    ...env.channels.map((c) => ({ ...channelView(c, { source: "env" }, admin), shadowed: false })),
    // a stored channel named like an environment one is not sent to: shown so it can be renamed or deleted
    ...stored.map((r) => ({
      ...channelView(fromStored(r.channel), { source: r.source, updatedAt: r.updatedAt, updatedBy: r.updatedBy }, admin),
      shadowed: names.has(r.channel.name),
      ...(admin && r.secretsError ? { secretsError: r.secretsError } : {}),
    })),
  ];
  // failing: only channels that are sent to (not paused, not shadowed by the environment's)
  const sentTo = views.filter((v) => !v.paused && !v.shadowed).map((v) => v.name);
  const [deliveries, states, senders] = await Promise.all([
    listChannelDeliveries(db, [...new Set(views.map((v) => v.name))], perChannel),
    channelDeliveryStates(db, sentTo),
    liveSenders(db),
  ]);
  const failing = new Map(states.filter((c) => c.failingSince !== null).map((c) => [c.channel, { since: c.failingSince!.toISOString(), undelivered: c.undelivered }]));
  return {
    channels: views.map((v) => ({
      ...v,
      failing: v.paused || v.shadowed ? null : (failing.get(v.name) ?? null),
      deliveries: deliveries
        .filter((d) => d.channel === v.name)
        .map(deliveryView),
    })),
    environmentError: env.error,
    environmentsDiffer: channelsNotEverywhere(senders, stored.map((r) => r.channel.name)),
    now: new Date().toISOString(),
  };
}
