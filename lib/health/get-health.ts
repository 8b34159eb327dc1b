import type pg from "pg";
import { channelDeliveryStates, channelsSentTo } from "@/lib/db/alerts/failing-channels";
import { channelsNotEverywhere } from "@/lib/db/alerts/senders";
import { lastRunnerStop, listRunners, type RunnerHealth } from "@/lib/db/hosts/runners";
import { answerWithin, DatabaseOutage } from "@/lib/db/outage";
import { createLogger } from "@/lib/log/logger";
import { utcMinute } from "@/lib/time/zoned-time";

// Component health for /api/v1/health and the home page: each part's status and latency.
// The database decides the HTTP status (503 without it nothing works); the others are reported.
// The runner list (ids, hosts, what each runs) is for signed-in callers only: the route leaves it
// out for a load balancer's or anyone's unauthenticated probe (publicHealth), as GET /api/v1/runners does.

export type PartHealth = { status: "ok" | "down" | "unknown"; latencyMs: number | null; detail: string | null };
export type Health = {
  status: "ok" | "degraded" | "down";
  checkedAt: string;
  parts: { database: PartHealth; scheduler: PartHealth; runner: PartHealth; alerts: PartHealth; web: PartHealth };
  runners: RunnerHealth[];
};

/** What anyone may read: each part's status, not which runners run where. */
export function publicHealth(health: Health): Omit<Health, "runners"> {
  return { status: health.status, checkedAt: health.checkedAt, parts: health.parts };
}

// One per process: the web's view of the database, so an outage is one WARN line when it starts,
// one INFO line when it ends, and the health answer says since when (issue 10).
const outage = new DatabaseOutage(createLogger("web"));

export async function getHealth(pool: pg.Pool, schedulerUrl: string): Promise<Health> {
  const [database, scheduler] = await Promise.all([checkDatabase(pool), checkScheduler(schedulerUrl)]);
  const runners = database.status === "ok" ? await listRunners(pool).catch(() => []) : [];
  const runner: PartHealth =
    database.status !== "ok"
      ? { status: "unknown", latencyMs: null, detail: "needs the database" }
      : runners.length === 0
        ? { status: "down", latencyMs: null, detail: await noRunnerDetail(pool) }
        : runners.some((r) => r.status === "ok")
          ? { status: "ok", latencyMs: null, detail: `${runners.filter((r) => r.status === "ok").length} of ${runners.length} runners alive` }
          : { status: "down", latencyMs: null, detail: "every runner's heartbeat is stale" };
  const alerts = database.status === "ok" ? await checkAlerts(pool).catch(() => unknownAlerts) : { ...unknownAlerts, detail: "needs the database" };
  const web: PartHealth = { status: "ok", latencyMs: 0, detail: null };
  const parts = { database, scheduler, runner, alerts, web };
  // no channel at all ("unknown") is said, not counted: a fresh install is not degraded by it
  const counted = [database, scheduler, runner, web, ...(alerts.status === "unknown" ? [] : [alerts])];
  const status = database.status !== "ok" ? "down" : counted.every((p) => p.status === "ok") ? "ok" : "degraded";
  return { status, checkedAt: new Date().toISOString(), parts, runners };
}

const unknownAlerts: PartHealth = { status: "unknown", latencyMs: null, detail: "could not read the delivery log" };

/**
 * Whether incidents reach people: down when a channel's messages since its last delivered one
 * failed (a revoked webhook, a changed SMTP password). Counts and times only — which channel, and
 * why, is on the Channels page for signed-in users.
 */
async function checkAlerts(pool: pg.Pool): Promise<PartHealth> {
  const { names, senders, storedNames } = await channelsSentTo(pool);
  if (names.length === 0) return { status: "unknown", latencyMs: null, detail: "no alert channel: incidents are shown here and on /incidents only" };
  const states = await channelDeliveryStates(pool, names);
  const failing = states.filter((c) => c.failingSince !== null);
  const of = `${names.length} channel${names.length === 1 ? "" : "s"}`;
  if (failing.length > 0) {
    const since = new Date(Math.min(...failing.map((c) => c.failingSince!.getTime())));
    const undelivered = failing.reduce((n, c) => n + c.undelivered, 0);
    return { status: "down", latencyMs: null, detail: `${failing.length} of ${of} failing since ${utcMinute(since)}: ${undelivered} message${undelivered === 1 ? "" : "s"} not delivered (see Channels)` };
  }
  const lastSent = states.reduce<Date | null>((latest, c) => (c.lastSentAt && (!latest || c.lastSentAt > latest) ? c.lastSentAt : latest), null);
  // a change rolling out: said, not counted against health (which channels, on the Channels page)
  const differ = channelsNotEverywhere(senders, storedNames).length > 0 ? "; the processes' SWITCHYARD_ALERT_CHANNELS differ (see Channels)" : "";
  return { status: "ok", latencyMs: null, detail: `${of}${lastSent ? `; last message sent ${utcMinute(lastSent)}` : ""}${differ}` };
}

/** Why no runner is listed: none ever reported, or the last one stopped — when (not which, nor where: anyone may read this). */
async function noRunnerDetail(pool: pg.Pool): Promise<string> {
  const stopped = await lastRunnerStop(pool).catch(() => null);
  return stopped ? `no runner is running; the last one stopped ${utcMinute(stopped.at)}` : "no runner has reported";
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: Error; ms: number }> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: round(performance.now() - t0) };
  } catch (error) {
    return { error: error as Error, ms: round(performance.now() - t0) };
  }
}

async function checkDatabase(pool: pg.Pool): Promise<PartHealth> {
  const r = await timed(() => answerWithin(pool.query("SELECT 1"), 3000));
  if (!r.error) {
    outage.ok();
    return { status: "ok", latencyMs: r.ms, detail: null };
  }
  // A timeout counts as unreachable too (answerWithin's ETIMEDOUT): a server that does not answer is down for the dashboard.
  outage.failed(r.error);
  const since = outage.downSince;
  return { status: "down", latencyMs: null, detail: since ? `database down since ${since.toISOString()}: ${r.error.message}` : r.error.message };
}

async function checkScheduler(url: string): Promise<PartHealth> {
  // HEAD / is luigid's documented health check (204), open even with scheduler auth; fetch refuses a
  // URL with credentials, and the detail must not show them.
  const target = new URL(url);
  target.username = target.password = "";
  const r = await timed(() => fetch(target, { method: "HEAD", signal: AbortSignal.timeout(2000) }));
  if (r.error) return { status: "down", latencyMs: null, detail: `no answer from ${target.origin}` };
  return r.value!.ok ? { status: "ok", latencyMs: r.ms, detail: null } : { status: "down", latencyMs: r.ms, detail: `HTTP ${r.value!.status}` };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
