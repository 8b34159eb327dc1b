import type pg from "pg";
import { ZodError } from "zod";
import { environmentChannels } from "@/lib/alerts/channels/load-channels";
import { channelView, fromStored, SECRET_FIELDS, toStored, type ChannelView } from "@/lib/alerts/channels/stored-channel";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict, notFound } from "@/lib/control/errors";
import { deleteChannelRow, getChannelForUpdate, insertChannel, setChannelPaused, updateChannelRow } from "@/lib/db/alerts/channels";
import type { Queryable } from "@/lib/db/runs/run-columns";
import type { CreateChannelInput, UpdateChannelInput } from "@/lib/schemas/alert-channel-input";
import { alertChannelSchema, TARGET_FIELDS, type AlertChannel } from "@/lib/schemas/alert-channels";

// Adding, editing, pausing, resuming and deleting a stored alert channel (admins, the Channels
// page and /api/v1/alert-channels): each an audited operator action. The audit row names the
// fields that changed, never a secret's value. Channels of SWITCHYARD_ALERT_CHANNELS are read-only
// here: they change where they are set.

function refuseEnvironmentChannel(name: string) {
  if (environmentChannels().channels.some((c) => c.name === name)) {
    throw conflict(`channel "${name}" is set in SWITCHYARD_ALERT_CHANNELS: change it there (or choose another name)`);
  }
}

const answer = (channel: AlertChannel, source: "api" | "file", by: string): { channel: ChannelView } => ({ channel: channelView(channel, { source, updatedAt: new Date(), updatedBy: by }, true) });

export async function createChannel(pool: pg.Pool, actor: Actor, input: CreateChannelInput): Promise<{ channel: ChannelView }> {
  const { reason, ...channel } = input;
  return audited(
    pool,
    actor,
    { intent: "channel.create", targetId: channel.name, reason },
    async (db) => {
      refuseEnvironmentChannel(channel.name);
      if (!(await insertChannel(db, toStored(channel), "api", actorLabel(actor)))) throw conflict(`a channel named "${channel.name}" exists already`);
      return answer(channel, "api", actorLabel(actor));
    },
    () => ({ type: channel.type, fields: Object.keys(channel).sort() }),
  );
}

/** The stored channel with the named fields replaced: null clears a filter, a blank secret keeps the stored one. */
export function mergeChannel(current: AlertChannel, patch: Omit<UpdateChannelInput, "name" | "reason">): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  // a new type keeps the common fields, not the old type's target (a Slack channel has no secret)
  if (patch.type && patch.type !== current.type) for (const key of TARGET_FIELDS[current.type]) delete merged[key];
  const secrets = new Set<string>(Object.values(SECRET_FIELDS).flat());
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || (secrets.has(key) && value === "")) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function changedFields(before: AlertChannel, after: AlertChannel): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
}

async function storedOrThrow(db: Queryable, name: string) {
  const current = await getChannelForUpdate(db, name);
  if (!current) throw notFound(`channel "${name}"`);
  return current;
}

export async function updateChannel(pool: pg.Pool, actor: Actor, input: UpdateChannelInput): Promise<{ channel: ChannelView; changed: string[] }> {
  const { name, reason, ...patch } = input;
  return audited(
    pool,
    actor,
    { intent: "channel.update", targetId: name, reason },
    async (db) => {
      refuseEnvironmentChannel(name);
      const current = await storedOrThrow(db, name);
      const before = fromStored(current.channel);
      const parsed = alertChannelSchema.safeParse(mergeChannel(before, patch));
      if (!parsed.success) throw new ZodError(parsed.error.issues);
      const changed = changedFields(before, parsed.data);
      if (changed.length > 0) await updateChannelRow(db, toStored(parsed.data), actorLabel(actor));
      return { ...answer(parsed.data, current.source, actorLabel(actor)), changed };
    },
    (r) => ({ changed: r.changed }),
  );
}

export async function setChannelPausedAction(pool: pg.Pool, actor: Actor, input: { name: string; paused: boolean; reason?: string }): Promise<{ name: string; paused: boolean }> {
  return audited(
    pool,
    actor,
    { intent: input.paused ? "channel.pause" : "channel.resume", targetId: input.name, reason: input.reason },
    async (db) => {
      refuseEnvironmentChannel(input.name);
      if (await setChannelPaused(db, input.name, input.paused, actorLabel(actor))) return { name: input.name, paused: input.paused };
      await storedOrThrow(db, input.name);
      throw conflict(`channel "${input.name}" is already ${input.paused ? "paused" : "active"}`);
    },
    (r) => r,
  );
}

export async function deleteChannel(pool: pg.Pool, actor: Actor, input: { name: string; reason?: string }): Promise<{ deleted: string }> {
  return audited(
    pool,
    actor,
    { intent: "channel.delete", targetId: input.name, reason: input.reason },
    async (db) => {
      refuseEnvironmentChannel(input.name);
      if (!(await deleteChannelRow(db, input.name))) throw notFound(`channel "${input.name}"`);
      return { deleted: input.name };
    },
    (r) => r,
  );
}
