import type { AlertPayload } from "@/lib/alerts/enqueue";
import type { LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { channelWants } from "@/lib/alerts/match-channel";
import { sendToChannel } from "@/lib/alerts/transports";
import type { DatabaseWatch } from "@/lib/alerts/database-watch";
import type { Logger } from "@/lib/log/logger";

// Every incident lives in PostgreSQL and every message goes out through its outbox, so with the
// database away nobody would be told — of the one failure that stops everything. Each alert loop
// watches for that itself: once the database has been unreachable for `afterSeconds` it sends a
// critical `database_unreachable` message straight to the channels it last loaded (those of the
// environment and the stored ones, secrets already opened), quiet hours or not, and a resolve
// when the database answers again. There is no incident row (`incident.id` is 0) and no delivery
// log: the log lines say what was sent. Of the processes with an alert loop (each runner, each
// web) only one tells, the holder of the watch (database-watch.ts); the others log that it does.

export const DATABASE_UNREACHABLE = "database_unreachable";

export type DatabaseDownOptions = {
  afterSeconds: number;
  reporter: string;
  publicUrl: string;
  logger: Logger;
  /** default RETRY_MS */
  retryMs?: number;
  /** Who else tells (database-watch.ts); without it, this notice always tells. */
  watch?: Pick<DatabaseWatch, "tellerOtherThanMe">;
};

/** A failed send to a channel is tried again on a later pass, this long after. */
const RETRY_MS = 30_000;

type Told = { since: Date; key: string; channels: LoadedChannel[]; open: AlertPayload; unsent: Map<string, number> };

export class DatabaseDownNotice {
  private told: Told | null = null;
  /** The outage is told by another process: this one stays quiet until the database is back. */
  private leftTo: string | null = null;
  private readonly retryMs: number;

  constructor(private readonly o: DatabaseDownOptions) {
    this.retryMs = o.retryMs ?? RETRY_MS;
  }

  /** Each loop pass while the database is unreachable: tells the channels once the outage is old enough (and again those a send failed for). */
  async down(since: Date, reason: string, channels: LoadedChannel[], now: Date): Promise<void> {
    if (this.told) return this.retry(now);
    if (this.leftTo !== null || now.getTime() - since.getTime() < this.o.afterSeconds * 1000) return;
    const teller = this.o.watch?.tellerOtherThanMe(since) ?? null;
    if (teller !== null) {
      this.leftTo = teller;
      return this.o.logger.warn(`PostgreSQL has been unreachable for ${elapsed(since, now)}; ${teller} tells the alert channels (it holds the watch)`);
    }
    const key = `${DATABASE_UNREACHABLE}:${since.toISOString().slice(0, 16)}`;
    // as the outbox's sender: a paused channel gets nothing, and a channel gets only the rules it takes
    const wanting = channels.filter((c) => !c.paused && channelWants(c, { rule: DATABASE_UNREACHABLE, severity: "critical", serviceName: null, labels: {} }));
    const summary = `PostgreSQL has been unreachable for ${elapsed(since, now)} (seen by ${this.o.reporter}): no run is claimed or recorded, the dashboard answers 503, and no incident can be opened until it is back`;
    const open = this.payload(key, "open", summary, reason, since, null);
    this.told = { since, key, channels: wanting, open, unsent: new Map() };
    if (wanting.length === 0) return this.o.logger.error(`${summary}; no alert channel to tell`);
    await this.tell(open, wanting, now);
  }

  /** The database answered again: a resolve to the channels told of the outage. */
  async up(now: Date): Promise<void> {
    const told = this.told;
    this.told = null;
    this.leftTo = null;
    if (!told) return;
    // a channel the open never reached gets no resolve either
    const reached = told.channels.filter((c) => !told.unsent.has(c.name));
    if (reached.length === 0) return;
    const resolve = this.payload(told.key, "resolve", `PostgreSQL answers again after ${elapsed(told.since, now)} (seen by ${this.o.reporter})`, null, told.since, now);
    await this.tell(resolve, reached, now);
  }

  private async retry(now: Date): Promise<void> {
    const told = this.told!;
    const due = told.channels.filter((c) => (told.unsent.get(c.name) ?? Infinity) <= now.getTime());
    if (due.length > 0) await this.tell(told.open, due, now);
  }

  private payload(key: string, event: "open" | "resolve", summary: string, error: string | null, since: Date, resolvedAt: Date | null): AlertPayload {
    const base = this.o.publicUrl.replace(/\/+$/, "");
    return {
      idempotencyKey: `${key}:${event}`,
      event,
      incident: {
        id: 0,
        rule: DATABASE_UNREACHABLE,
        severity: "critical",
        service: null,
        kind: null,
        period: null,
        summary,
        error,
        openedAt: since.toISOString(),
        resolvedAt: resolvedAt?.toISOString() ?? null,
        resolvedBy: null,
        links: { incident: `${base}/incidents`, run: null, service: null },
      },
    };
  }

  private async tell(payload: AlertPayload, channels: LoadedChannel[], now: Date): Promise<void> {
    await Promise.all(
      channels.map(async (channel) => {
        try {
          await sendToChannel(channel, payload, now);
          this.told?.unsent.delete(channel.name);
          this.o.logger.info(`told channel ${channel.name}: ${payload.incident.summary}`, { event: payload.event, rule: DATABASE_UNREACHABLE });
        } catch (error) {
          const what = payload.event === "open" ? `the database is unreachable (tried again in ${Math.round(this.retryMs / 1000)} s)` : "the database is back";
          if (payload.event === "open") this.told?.unsent.set(channel.name, now.getTime() + this.retryMs);
          this.o.logger.error(`could not tell channel ${channel.name} that ${what}: ${(error as Error).message}`);
        }
      }),
    );
  }
}

/** How long from `from` to `to`: "40 s", "3 min". */
function elapsed(from: Date, to: Date): string {
  const seconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
