import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { fromStored, toStored } from "@/lib/alerts/channels/stored-channel";
import { actorLabel, recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { getChannelForUpdate, insertChannel, updateChannelRow } from "@/lib/db/alerts/channels";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// The `channels` list of a services file, synced like its services (lib/db/services/sync-services.ts):
// at a runner's start, on SIGHUP and from POST /api/v1/services/sync. Each channel is written as
// the file gives it (an edit on the page since is overwritten); one the file no longer names is
// left alone. Paused stays as it is unless the file says. Each added or changed channel gets a
// "channel.sync" audit row naming the changed fields — never a secret's value — in the same
// transaction.

export type ChannelSyncChange = { channel: string; change: "added" | "changed"; fields: string[] };

const SYNC_LOCK = 0x5717_c4a1;

export async function syncChannels(pool: pg.Pool, channels: AlertChannel[], by: { actor?: Actor | string; source?: string; reason?: string }): Promise<ChannelSyncChange[]> {
  if (channels.length === 0) return [];
  const actor = by.actor ?? "system:services-file";
  const label = actorLabel(actor);
  return withTransaction(pool, async (client) => {
    const changes: ChannelSyncChange[] = [];
    for (const given of channels) {
      const current = await getChannelForUpdate(client, given.name);
      let change: ChannelSyncChange;
      if (!current) {
        await insertChannel(client, toStored(given), "file", label);
        change = { channel: given.name, change: "added", fields: Object.keys(given).sort() };
      } else {
        const before = fromStored(current.channel) as Record<string, unknown>;
        const after = { ...given, paused: given.paused ?? current.channel.paused } as Record<string, unknown>;
        const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
        if (fields.length === 0 && current.source === "file") continue;
        await updateChannelRow(client, toStored(after as AlertChannel), label, "file");
        change = { channel: given.name, change: "changed", fields };
      }
      changes.push(change);
      await recordAudit(client, {
        actor,
        action: "channel.sync",
        targetType: "channel",
        targetId: given.name,
        reason: by.reason ?? (by.source ? `services file ${by.source}` : null),
        outcome: "ok",
        result: { change: change.change, fields: change.fields },
      });
    }
    return changes;
  }, { lock: SYNC_LOCK });
}
