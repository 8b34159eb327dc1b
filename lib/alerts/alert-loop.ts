import type pg from "pg";
import type { AlertConfig } from "@/lib/alerts/alert-config";
import { enqueueDueDigests } from "@/lib/alerts/channels/digest";
import { loadChannels, type LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { DatabaseDownNotice } from "@/lib/alerts/database-down";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { sendDueMessages } from "@/lib/alerts/sender";
import { sendToChannel } from "@/lib/alerts/transports";
import { DatabaseOutage } from "@/lib/db/outage";
import type { Logger } from "@/lib/log/logger";

// The alert loop inside each runner process: evaluate the rules every tickSeconds (one runner
// at a time, by advisory lock) and drain the outbox every second (all runners share it by SKIP
// LOCKED). Real time, not the runner's demo clock: rules compare with heartbeats and start times
// that PostgreSQL stamped with now(). Errors are logged and the next tick tries again: an alert
// loop must never take the runner down. The channels are those of the environment plus the
// stored ones, read on every pass: a channel added on the Channels page works without a restart.
// With the database away for databaseDownSeconds, it tells the channels it last read directly
// (database-down.ts): the outbox is in the database too.

export type AlertLoop = { stop(): Promise<void> };

export function startAlertLoop(pool: pg.Pool, config: AlertConfig, logger: Logger, senderId: string, now: () => Date = () => new Date()): AlertLoop {
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  let lastEvaluation = 0;
  // the database away (a restart): one WARN for the outage, not an error and a stack per tick
  const outage = new DatabaseOutage(logger);
  const databaseDown = new DatabaseDownNotice({ afterSeconds: config.databaseDownSeconds, reporter: senderId, publicUrl: config.publicUrl, logger, send: sendToChannel });
  let lastChannels: LoadedChannel[] = config.channels;
  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = inFlight.then(async () => {
      if (stopped) return;
      let channels: AlertConfig["channels"];
      try {
        channels = lastChannels = await loadChannels(pool, config.channels);
      } catch (error) {
        if (!outage.failed(error)) logger.error("could not read the alert channels", { error: error as Error });
        else await databaseDown.down(outage.downSince!, (error as Error).message, lastChannels, now());
        return;
      }
      await databaseDown.up(now());
      if (Date.now() - lastEvaluation >= config.tickSeconds * 1000) {
        lastEvaluation = Date.now();
        try {
          const { changes } = await evaluateAlerts(pool, { ...config, channels }, now());
          outage.ok();
          for (const c of changes) logger.info(`incident ${c.event === "open" ? "opened" : "resolved"}: ${c.incident.summary}`, { incident: c.incident.id, rule: c.incident.rule });
          const digests = await enqueueDueDigests(pool, channels, config.publicUrl, now());
          if (digests > 0) logger.info(`queued ${digests} daily digest${digests === 1 ? "" : "s"}`);
        } catch (error) {
          if (!outage.failed(error)) logger.error("alert evaluation failed", { error: error as Error });
        }
      }
      if (channels.length === 0) return;
      try {
        await sendDueMessages(pool, { id: senderId, channels }, now);
      } catch (error) {
        if (!outage.failed(error)) logger.error("alert delivery pass failed", { error: error as Error });
      }
    });
  }, 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight.catch(() => {});
    },
  };
}
