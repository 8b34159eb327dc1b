import pg from "pg";
import { DELIVERY_DAYS, INCIDENT_DAYS, type AlertConfig } from "@/lib/alerts/alert-config";
import { enqueueDueDigests } from "@/lib/alerts/channels/digest";
import { loadChannels, type LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { DatabaseDownNotice } from "@/lib/alerts/database-down";
import { DatabaseWatch, WATCH_TIMING, type WatchTiming } from "@/lib/alerts/database-watch";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { quietChannels } from "@/lib/alerts/match-channel";
import { pruneDeliveries } from "@/lib/db/alerts/outbox";
import { pruneIncidents } from "@/lib/db/alerts/incidents";
import { expireSilences } from "@/lib/db/alerts/silences";
import { forgetSender, recordSender, SENDER_RENEW_MS } from "@/lib/db/alerts/senders";
import { sendDueMessages } from "@/lib/alerts/sender";
import { answerWithin, DatabaseOutage } from "@/lib/db/outage";
import type { Logger } from "@/lib/log/logger";

// The alert loop inside each runner process: evaluate the rules every tickSeconds (one runner
// at a time, by advisory lock) and drain the outbox every second (all runners share it, a channel
// by one of them at a time; a pass spends at most about 5 s on a slow receiver). Real time, not the runner's demo clock: rules compare with heartbeats and start times
// that PostgreSQL stamped with now(). Errors are logged and the next tick tries again: an alert
// loop must never take the runner down. The channels are those of the environment plus the
// stored ones, read on every pass: a channel added on the Channels page works without a restart.
// With the database away for databaseDownSeconds — refusing, or not answering at all — it tells
// the channels it last read directly (database-down.ts): the outbox is in the database too —
// unless another loop holds the watch (database-watch.ts), which then tells them instead.

export type AlertLoop = { stop(): Promise<void> };

/** The delivery log (settled messages older than deliveryDays) and resolved incidents older than incidentDays are pruned this often. */
const PRUNE_EVERY_MS = 3_600_000;

/** A pass still running after this long makes the loop ask the database apart whether it answers at all. */
const PASS_STALL_MS = 10_000;

export function startAlertLoop(pool: pg.Pool, config: AlertConfig, logger: Logger, senderId: string, now: () => Date = () => new Date(), watchTiming: WatchTiming = WATCH_TIMING): AlertLoop {
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  /** When the pass in flight began; null between passes (a pass never queues behind another). */
  let passSince: number | null = null;
  let probing = false;
  let lastEvaluation = 0;
  let lastPrune = 0;
  let lastRecorded = 0;
  const deliveryDays = config.deliveryDays ?? DELIVERY_DAYS;
  const incidentDays = config.incidentDays ?? INCIDENT_DAYS;
  // the database away (a restart): one WARN for the outage, not an error and a stack per tick
  const outage = new DatabaseOutage(logger);
  const watch = new DatabaseWatch(pool, senderId, watchTiming);
  const databaseDown = new DatabaseDownNotice({ afterSeconds: config.databaseDownSeconds, reporter: senderId, publicUrl: config.publicUrl, logger, watch });
  let lastChannels: LoadedChannel[] = config.channels;

  const unreachable = async (error: unknown): Promise<boolean> => {
    if (!outage.failed(error)) return false;
    await databaseDown.down(outage.downSince!, (error as Error).message, lastChannels, now());
    return true;
  };

  const pass = async () => {
    let channels: AlertConfig["channels"];
    try {
      channels = lastChannels = await loadChannels(pool, config.channels);
    } catch (error) {
      if (!(await unreachable(error))) logger.error("could not read the alert channels", { error: error as Error });
      return;
    }
    outage.ok();
    await databaseDown.up(now());
    try {
      await watch.keep();
    } catch (error) {
      if (!(await unreachable(error))) logger.error("could not claim the database watch", { error: error as Error });
    }
    if (Date.now() - lastRecorded >= SENDER_RENEW_MS) {
      try {
        await recordSender(pool, senderId, config.channels.filter((c) => !c.paused).map((c) => c.name));
        lastRecorded = Date.now();
      } catch (error) {
        if (!(await unreachable(error))) logger.error("could not record this loop's alert channels", { error: error as Error });
      }
    }
    if (Date.now() - lastEvaluation >= config.tickSeconds * 1000) {
      lastEvaluation = Date.now();
      try {
        const silences = await expireSilences(pool, now(), quietChannels(channels, now()));
        if (silences.ended > 0) logger.info(`${silences.ended} alert silence${silences.ended === 1 ? "" : "s"} ended; ${silences.released} held message${silences.released === 1 ? "" : "s"} of incidents still open queued`);
        const { changes } = await evaluateAlerts(pool, { ...config, channels }, now());
        for (const c of changes) logger.info(`incident ${c.event === "open" ? "opened" : "resolved"}: ${c.incident.summary}`, { incident: c.incident.id, rule: c.incident.rule });
        const digests = await enqueueDueDigests(pool, channels, config.publicUrl, now());
        if (digests > 0) logger.info(`queued ${digests} daily digest${digests === 1 ? "" : "s"}`);
      } catch (error) {
        if (!(await unreachable(error))) logger.error("alert evaluation failed", { error: error as Error });
      }
    }
    if (Date.now() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      try {
        const pruned = await pruneDeliveries(pool, deliveryDays);
        if (pruned > 0) logger.info(`deleted ${pruned} delivered message${pruned === 1 ? "" : "s"} older than ${deliveryDays} days from the delivery log`);
        const incidents = incidentDays > 0 ? await pruneIncidents(pool, incidentDays) : 0;
        if (incidents > 0) logger.info(`deleted ${incidents} incident${incidents === 1 ? "" : "s"} resolved more than ${incidentDays} days ago`);
      } catch (error) {
        if (!(await unreachable(error))) logger.error("could not prune the delivery log or the incident history", { error: error as Error });
      }
    }
    if (channels.length === 0) return;
    try {
      await sendDueMessages(pool, { id: senderId, channels }, now);
    } catch (error) {
      if (!(await unreachable(error))) logger.error("alert delivery pass failed", { error: error as Error });
    }
  };

  // A database that stops answering without refusing (a failover, a network cut with no reset, a
  // stopped server) leaves the pass's query waiting, maybe for ever. A pass stalled that long asks
  // the database apart (a slow channel is not an outage; a SELECT 1 that gets no answer is).
  // Its own connection, not the pool's: a query that never gets an answer keeps its client, and
  // probes taking the pool's would leave none for the runner once the database is back.
  const probe = async () => {
    // answerWithin's 5 s covers the connect too; end() then destroys a socket still waiting
    const client = new pg.Client({ connectionString: pool.options.connectionString });
    client.on("error", () => {}); // a connection lost after the answer is nobody's business
    try {
      await answerWithin(
        client.connect().then(() => client.query("SELECT 1")),
        5_000,
      );
    } catch (error) {
      await unreachable(error);
    } finally {
      void client.end().catch(() => {});
    }
  };

  const timer = setInterval(() => {
    if (stopped) return;
    if (passSince !== null) {
      if (Date.now() - passSince >= PASS_STALL_MS && !probing) {
        probing = true;
        void probe().finally(() => (probing = false));
      }
      return;
    }
    passSince = Date.now();
    inFlight = pass()
      .catch((error: unknown) => logger.error("alert loop pass failed", { error: error as Error })) // never an unhandled rejection in a runner
      .finally(() => (passSince = null));
  }, 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight.catch(() => {});
      // the database may be the reason for the stop: a release that gets no answer is left to expire
      await Promise.all([watch.release(), forgetSender(pool, senderId)].map((done) => answerWithin(done, 2_000).catch(() => {})));
    },
  };
}
