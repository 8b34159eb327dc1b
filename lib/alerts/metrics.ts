import { Gauge, Registry } from "prom-client";
import { addFleetMetrics } from "@/lib/alerts/fleet-metrics";
import { activeChannelNames, channelDeliveryStates } from "@/lib/db/alerts/failing-channels";
import { readFleetMetrics } from "@/lib/db/alerts/read-fleet-metrics";
import { readMetrics } from "@/lib/db/alerts/read-metrics";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { ALERT_RULES } from "@/lib/schemas/alert-channels";

// The web app's /metrics in the Prometheus text format: one registry per scrape, filled from one
// query, so several app processes never disagree and nothing is kept between scrapes.

// The rules that open incident rows (ALERT_RULES names those a channel can filter on; a
// database_unreachable message has no row, the database being away: database-down.ts).
const INCIDENT_RULES = ALERT_RULES.filter((rule) => rule !== "database_unreachable");

export async function renderMetrics(db: Queryable): Promise<{ body: string; contentType: string }> {
  const registry = await buildMetricsRegistry(db);
  return { body: await registry.metrics(), contentType: registry.contentType };
}

/** Every metric /metrics exports, filled from the database (docs/METRICS.md lists them). */
export async function buildMetricsRegistry(db: Queryable): Promise<Registry> {
  const [s, fleet, channels] = await Promise.all([readMetrics(db), readFleetMetrics(db), activeChannelNames(db).then((names) => channelDeliveryStates(db, names))]);
  const registry = new Registry();
  const runs = new Gauge({ name: "switchyard_runs", help: "Runs of yesterday's and today's periods, by kind and status", labelNames: ["kind", "status"], registers: [registry] });
  for (const r of s.runs) runs.set({ kind: r.kind, status: r.status }, r.n);
  new Gauge({ name: "switchyard_queue_depth", help: "Runs waiting in the queue", registers: [registry] }).set(s.queueDepth);
  new Gauge({ name: "switchyard_queue_oldest_age_seconds", help: "How long the oldest claimable queued run has waited", registers: [registry] }).set(s.oldestQueuedSeconds);
  const open = new Gauge({ name: "switchyard_incidents_open", help: "Open incidents by rule", labelNames: ["rule"], registers: [registry] });
  for (const rule of INCIDENT_RULES) open.set({ rule }, s.openIncidents.find((o) => o.rule === rule)?.n ?? 0);
  const deliveries = new Gauge({ name: "switchyard_alert_deliveries", help: "Alert messages created in the last day, by channel and outcome (pending, sending, sent, failed, skipped)", labelNames: ["channel", "outcome"], registers: [registry] });
  for (const d of s.deliveries) deliveries.set({ channel: d.channel, outcome: d.status }, d.n);
  const failing = new Gauge({ name: "switchyard_alert_channel_failing", help: "1 while a channel's messages since its last delivered one fail (as Component health's Alerts row), else 0; active channels only", labelNames: ["channel"], registers: [registry] });
  for (const c of channels) failing.set({ channel: c.channel }, c.failingSince ? 1 : 0);
  addFleetMetrics(registry, fleet);
  return registry;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Who may scrape: with METRICS_TOKEN set, a matching bearer token; without it, only when the app
 * listens on loopback alone (HOST), so every caller is local. X-Forwarded-For is not trusted: a
 * client can send it itself.
 */
export function metricsAccess(authorization: string | null, env: Record<string, string | undefined> = process.env): "ok" | "unauthorized" | "forbidden" {
  const token = env.METRICS_TOKEN?.trim();
  if (token) return authorization === `Bearer ${token}` ? "ok" : "unauthorized";
  return LOOPBACK.has((env.HOST ?? "127.0.0.1").trim()) ? "ok" : "forbidden";
}
