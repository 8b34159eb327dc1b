import { fromStored } from "@/lib/alerts/channels/stored-channel";
import { listChannelRecords } from "@/lib/db/alerts/channels";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { parseAlertChannels, type AlertChannel } from "@/lib/schemas/alert-channels";

// The channels the alert loop sends to: those of SWITCHYARD_ALERT_CHANNELS, then the stored ones,
// read again on every pass so a channel added on the page works without a restart. A stored
// channel named like an environment one is left out (the environment wins; the page says so).

/** A channel to send to; secretsError: its stored secrets cannot be opened, so every send to it fails with that reason. */
export type LoadedChannel = AlertChannel & { secretsError?: string };

export async function loadChannels(db: Queryable, fromEnv: AlertChannel[]): Promise<LoadedChannel[]> {
  const names = new Set(fromEnv.map((c) => c.name));
  const stored = (await listChannelRecords(db, true))
    .filter((r) => !names.has(r.channel.name))
    .map((r): LoadedChannel => (r.secretsError ? { ...fromStored(r.channel), secretsError: r.secretsError } : fromStored(r.channel)));
  return [...fromEnv, ...stored];
}

/** The channels of this process's environment and the stored ones (loadChannels). */
export const loadAllChannels = (db: Queryable) => loadChannels(db, environmentChannels().channels);

/** One channel by name, as loadAllChannels has it, or undefined. */
export async function findChannel(db: Queryable, name: string): Promise<LoadedChannel | undefined> {
  return (await loadAllChannels(db)).find((c) => c.name === name);
}

type EnvironmentChannels = { channels: AlertChannel[]; error: string | null };
let parsed: { raw: string | undefined; result: EnvironmentChannels } | null = null;

/**
 * The channels of SWITCHYARD_ALERT_CHANNELS in this process; a broken variable is reported, not
 * thrown (the page shows it). Parsed once per value: Component health, /metrics and the alert
 * loop ask on every call.
 */
export function environmentChannels(env: Record<string, string | undefined> = process.env): EnvironmentChannels {
  const raw = env.SWITCHYARD_ALERT_CHANNELS;
  if (parsed && parsed.raw === raw) return parsed.result;
  let result: EnvironmentChannels;
  try {
    result = { channels: parseAlertChannels(raw), error: null };
  } catch (error) {
    result = { channels: [], error: (error as Error).message };
  }
  parsed = { raw, result };
  return result;
}
