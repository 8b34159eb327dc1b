import type pg from "pg";
import { listRedDailies, type RedDaily } from "@/lib/alerts/channels/red-dailies";
import { firstLine } from "@/lib/alerts/format-message";
import { channelWants, channelWantsService } from "@/lib/alerts/match-channel";
import { insertChannelMessage, writtenDedupeKeys } from "@/lib/db/alerts/channel-messages";
import { listDigestIncidents, type DigestIncidentRow } from "@/lib/db/alerts/digest";
import { listActiveSilences } from "@/lib/db/alerts/silences";
import type { AlertChannel } from "@/lib/schemas/alert-channels";
import { formatWallDate, utcMinute, wallTimeAt } from "@/lib/time/zoned-time";

// The daily digest, "the red ones this morning": at each channel's chosen local time, what is
// red — the dailies due today that failed or are missing (the home page's F and M), and the open
// incidents (failed runs, late dailies, slow runs, fleet trouble) — with links,
// written once per channel and local day to the outbox under the key digest:<channel>:<date>,
// so two evaluators (two runners) write it once and the next tick writes nothing. The sender
// sends it like any message, through the channel's own transport.

/** A digest comes at most this long after its time (a runner that was down at 08:00 still sends it at 09:30, not at 23:00). */
export const DIGEST_WINDOW_MINUTES = 180;

export type DigestItem = {
  /** null for a red daily with no open incident */
  incidentId: number | null;
  rule: string;
  severity: string;
  service: string | null;
  period: string | null;
  summary: string;
  error: string | null;
  openedAt: string | null;
  acknowledgedBy: string | null;
  links: { incident: string; run: string | null; service: string | null };
};

/** The webhook body of a digest (event "digest") or of a test send (event "test"): see the OpenAPI document. */
export type DigestPayload = {
  idempotencyKey: string;
  event: "digest" | "test";
  channel: string;
  date: string;
  timeZone: string;
  generatedAt: string;
  summary: string;
  items: DigestItem[];
  resolvedSinceYesterday: number;
  /** services of the channel's whose alerts are silenced now: their new incidents are in items, their messages held */
  silenced: Array<{ service: string; until: string; by: string; reason: string | null }>;
  links: { incidents: string; home: string };
};

export function isDigestPayload(payload: unknown): payload is DigestPayload {
  const event = (payload as { event?: unknown } | null)?.event;
  return event === "digest" || event === "test";
}

function item(i: DigestIncidentRow, base: string): DigestItem {
  return {
    incidentId: i.id,
    rule: i.rule,
    severity: i.severity,
    service: i.service_name,
    period: i.period_date === null ? null : `${i.kind ?? ""} ${i.kind === "hourly" && i.period_start ? i.period_start.toISOString() : i.period_date}`.trim(),
    summary: i.summary,
    error: firstLine(i.error),
    openedAt: i.opened_at.toISOString(),
    acknowledgedBy: i.acknowledged_by,
    links: {
      incident: `${base}/incidents`,
      run: i.run_id === null ? null : `${base}/runs/${i.run_id}`,
      service: i.service_name ? `${base}/services/${encodeURIComponent(i.service_name)}` : null,
    },
  };
}

/** A red daily that no open incident already names: "missing_period" (M) or "run_failed" (F), warning. */
function dailyItem(d: RedDaily, base: string): DigestItem {
  const missing = d.letter === "M";
  return {
    incidentId: null,
    rule: missing ? "missing_period" : "run_failed",
    severity: "warning",
    service: d.service,
    period: `daily ${d.date}`,
    summary: `${d.service} daily ${d.date} ${missing ? "has not run" : "failed"}`,
    error: null,
    openedAt: null,
    acknowledgedBy: null,
    links: { incident: `${base}/incidents`, run: d.runId === null ? null : `${base}/runs/${d.runId}`, service: `${base}/services/${encodeURIComponent(d.service)}` },
  };
}

export type DigestFacts = { open: DigestIncidentRow[]; resolved: DigestIncidentRow[]; dailies: RedDaily[]; silences: Awaited<ReturnType<typeof listActiveSilences>> };

/** What every digest is made of, read once for all the channels due at the same tick. */
export async function readDigestFacts(pool: pg.Pool, now: Date): Promise<DigestFacts> {
  const [{ open, resolved }, dailies, silences] = await Promise.all([
    listDigestIncidents(pool, new Date(now.getTime() - 86_400_000)),
    listRedDailies(pool, now),
    listActiveSilences(pool, now),
  ]);
  return { open, resolved, dailies, silences };
}

/** What the channel would get now: the red dailies and open incidents it wants (its rules, services, severities). */
export async function buildDigest(pool: pg.Pool, channel: AlertChannel, publicUrl: string, now: Date, event: "digest" | "test", facts?: DigestFacts): Promise<DigestPayload> {
  const timeZone = channel.digest?.timeZone ?? "UTC";
  const date = formatWallDate(wallTimeAt(timeZone, now));
  const base = publicUrl.replace(/\/+$/, "");
  const { open, resolved, dailies, silences } = facts ?? (await readDigestFacts(pool, now));
  const wanted = (i: DigestIncidentRow) => channelWants(channel, { rule: i.rule, severity: i.severity, serviceName: i.service_name, labels: i.service_labels ?? {} });
  const named = new Set(open.map((i) => `${i.service_name}:${i.kind}:${i.period_date}`));
  const items: DigestItem[] = [];
  for (const d of dailies) {
    if (named.has(`${d.service}:daily:${d.date}`)) continue; // its incident says it, with more detail
    const it = dailyItem(d, base);
    // A daily that has not run is what sla_miss is about: a channel that picked that rule wants it.
    const rule = it.rule === "missing_period" ? "sla_miss" : it.rule;
    if (channelWants(channel, { rule, severity: it.severity, serviceName: d.service, labels: d.labels })) items.push(it);
  }
  items.push(...open.filter(wanted).map((i) => item(i, base)));
  const resolvedCount = resolved.filter(wanted).length;
  const silenced = silences
    .filter((x) => channelWantsService(channel, x.service_name, x.service_labels ?? {}))
    .map((x) => ({ service: x.service_name, until: x.ends_at.toISOString(), by: x.created_by, reason: x.reason }));
  const red = items.length === 0 ? "Nothing red." : `${items.length} red: ${countByRule(items)}.`;
  const quiet = silenced.length === 0 ? "" : ` Silenced: ${silenced.map((x) => `${x.service} until ${utcMinute(x.until)}`).join(", ")}.`;
  const summary = red + quiet;
  return {
    idempotencyKey: event === "digest" ? `switchyard-digest-${channel.name}-${date}` : `switchyard-test-${channel.name}-${now.getTime()}`,
    event,
    channel: channel.name,
    date,
    timeZone,
    generatedAt: now.toISOString(),
    summary: resolvedCount > 0 ? `${red} ${resolvedCount} resolved since yesterday.${quiet}` : summary,
    items,
    resolvedSinceYesterday: resolvedCount,
    silenced,
    links: { incidents: `${base}/incidents`, home: `${base}/` },
  };
}

function countByRule(items: DigestItem[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.rule, (counts.get(i.rule) ?? 0) + 1);
  return [...counts].map(([rule, n]) => `${n} ${rule}`).join(", ");
}

/** The channel's local date when its digest is due at `now`, or null when it is not. */
export function digestDueDate(channel: AlertChannel, now: Date): string | null {
  if (!channel.digest || channel.paused) return null;
  const w = wallTimeAt(channel.digest.timeZone, now);
  const since = w.hour * 60 + w.minute - (Number(channel.digest.time.slice(0, 2)) * 60 + Number(channel.digest.time.slice(3, 5)));
  return since >= 0 && since < DIGEST_WINDOW_MINUTES ? formatWallDate(w) : null;
}

/** From the alert loop's tick: write each due digest to the outbox once. Returns how many it wrote. */
export async function enqueueDueDigests(db: pg.Pool, channels: AlertChannel[], publicUrl: string, now: Date): Promise<number> {
  const due = channels.flatMap((c) => {
    const date = digestDueDate(c, now);
    return date ? [{ channel: c, key: `digest:${c.name}:${date}` }] : [];
  });
  const written = await writtenDedupeKeys(db, due.map((d) => d.key));
  const todo = due.filter((x) => !written.has(x.key));
  if (todo.length === 0) return 0;
  const facts = await readDigestFacts(db, now);
  let count = 0;
  for (const d of todo) {
    const payload = await buildDigest(db, d.channel, publicUrl, now, "digest", facts);
    if (await insertChannelMessage(db, now, { channel: d.channel.name, event: "digest", payload, dedupeKey: d.key, status: "pending" })) count++;
  }
  return count;
}
