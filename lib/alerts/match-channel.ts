import type { AlertChannel } from "@/lib/schemas/alert-channels";
import { wallTimeAt } from "@/lib/time/zoned-time";

// Which channels want a message about an incident, and whether it goes out now or is skipped for
// quiet hours (only critical incidents wake anybody up).

export type IncidentFacts = { rule: string; severity: string; serviceName: string | null; labels: Record<string, unknown> };

export function channelWants(channel: AlertChannel, facts: IncidentFacts): boolean {
  if (channel.rules && !channel.rules.includes(facts.rule as never)) return false;
  if (channel.severities && !channel.severities.includes(facts.severity as never)) return false;
  return channelWantsService(channel, facts.serviceName, facts.labels);
}

/** Whether the channel's `services` (names, or labels like "team=growth") take in this service; true without the filter. */
export function channelWantsService(channel: AlertChannel, serviceName: string | null, labels: Record<string, unknown>): boolean {
  if (!channel.services) return true;
  return channel.services.some((want) => {
    const eq = want.indexOf("=");
    if (eq < 0) return want === serviceName;
    return String(labels[want.slice(0, eq)] ?? "\u0000") === want.slice(eq + 1);
  });
}

/** True when `now` falls in the channel's quiet hours (a window may run past midnight: 22:00–07:00). */
export function inQuietHours(channel: AlertChannel, now: Date): boolean {
  const q = channel.quietHours;
  if (!q) return false;
  const w = wallTimeAt(q.timeZone, now);
  const minute = w.hour * 60 + w.minute;
  const from = toMinutes(q.from);
  const to = toMinutes(q.to);
  if (from === to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Why a non-critical message to this channel is skipped now, or null when it is not in quiet hours. */
export function quietHoursNote(channel: AlertChannel, now: Date): string | null {
  if (!inQuietHours(channel, now)) return null;
  const q = channel.quietHours!;
  return `quiet hours ${q.from}–${q.to} ${q.timeZone}`;
}

/** The channels in quiet hours now, with the note their skipped messages carry (silences.ts releases by it). */
export function quietChannels(channels: AlertChannel[], now: Date): Array<{ channel: string; note: string }> {
  return channels.flatMap((c) => {
    const note = quietHoursNote(c, now);
    return note ? [{ channel: c.name, note }] : [];
  });
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
