import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { externalEventCursor, followExternalRuns, readRootTaskEvents, recordExternalRun, type RootTaskEvent } from "@/lib/db/runs/external-runs";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { servicesVersion } from "@/lib/db/services/services-version";
import { isConnectionError } from "@/lib/db/outage";
import type { Logger } from "@/lib/log/logger";
import { matchRootTask, rootTemplates, type RootTemplate } from "@/lib/runner/external/match-root-task";

// Runs launched elsewhere appear (issue 12): every few seconds, read the root-task events the
// scheduler wrote since the last pass, record an external run for each period that has none
// (trigger "external", host and worker from the scheduler), and follow the running external
// runs to done or failed. Recording takes an advisory lock, so several runners watching the same
// history record each external run once.
// A service added while the runner runs (sync, SIGHUP, API) is seen on the next pass, and treated
// like one present at start: the last lookbackHours of history are read again for its root-task
// template. (The templates used to be re-read every 30 s, and the cursor moved past the events of a
// family it did not know yet: a cron worker started within 30 s of a sync was never recorded.)

/**
 * timeZone: the zone the scheduler writes the history's local times in — luigid and our scheduler
 * write the scheduler host's local time; by default the runner's own (same host, or UTC in a cluster).
 */
export type ExternalWatcherOptions = { pool: pg.Pool; logger: Logger; intervalMs?: number; lookbackHours?: number; timeZone?: string };

const RECORD_LOCK = 0x5717_e7e1;

export class ExternalWatcher {
  private cursor: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private templates: RootTemplate[] = [];
  private servicesVersion: string | null = null;

  constructor(private readonly o: ExternalWatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      // A lost database is not logged here: the runner's own loops, on the same pool, say when it
      // goes and when it is back (one line each, not one per part of the process).
      this.pass()
        .catch((error) => {
          if (!isConnectionError(error)) this.o.logger.error("external runs: pass failed", { error: error as Error });
        })
        .finally(() => (this.busy = false));
    }, this.o.intervalMs ?? 2000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns the ids of the external runs recorded. */
  async pass(): Promise<number[]> {
    const { pool } = this.o;
    if (this.cursor === null) this.cursor = await externalEventCursor(pool, this.lookbackHours);
    const recorded: number[] = [];
    const added = await this.refreshTemplates();
    if (added.length) {
      // Up to the cursor only, and only for the new templates: what comes after is read below.
      const families = [...new Set(added.map((t) => t.spec.family))];
      let from = await externalEventCursor(pool, this.lookbackHours);
      while (from < this.cursor) {
        const { events, cursor } = await readRootTaskEvents(pool, from, families);
        recorded.push(...(await this.recordEvents(events.filter((e) => e.eventId <= this.cursor!), added)));
        if (cursor === from) break;
        from = cursor;
      }
    }
    const families = [...new Set(this.templates.map((t) => t.spec.family))];
    if (families.length) {
      const { events, cursor } = await readRootTaskEvents(pool, this.cursor, families);
      recorded.push(...(await this.recordEvents(events)));
      this.cursor = cursor;
    }
    for (const f of await followExternalRuns(pool)) this.o.logger.info(`external run ${f.id}: ${f.status}`);
    return recorded;
  }

  private get lookbackHours(): number {
    return this.o.lookbackHours ?? 6;
  }

  /** Re-reads the templates when the services changed; returns those that are new (none on the first read). */
  private async refreshTemplates(): Promise<RootTemplate[]> {
    const version = await servicesVersion(this.o.pool);
    if (version === this.servicesVersion) return [];
    const first = this.servicesVersion === null;
    const key = (t: RootTemplate) => JSON.stringify([t.service.name, t.kind, t.spec, t.service.timeZone]);
    const known = new Set(this.templates.map(key));
    this.templates = rootTemplates(await listServiceRecords(this.o.pool));
    this.servicesVersion = version;
    return first ? [] : this.templates.filter((t) => !known.has(key(t)));
  }

  private async recordEvents(events: RootTaskEvent[], templates = this.templates): Promise<number[]> {
    const recorded: number[] = [];
    for (const e of events) {
      const match = matchRootTask(templates, e.family, e.params);
      if (!match) continue;
      const id = await this.record({
        serviceId: match.service.id,
        kind: match.kind,
        periodStart: match.period.start,
        periodDate: match.period.date,
        periodHour: match.kind === "hourly" ? match.period.hour : null,
        taskId: e.taskId,
        host: e.host,
        worker: e.worker,
        at: e.at,
        timeZone: this.o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      if (id !== null) {
        recorded.push(id);
        this.o.logger.info(`external run ${id}: ${match.service.name} ${match.period.date}${match.kind === "hourly" ? `T${String(match.period.hour).padStart(2, "0")}` : ""} started elsewhere (${e.taskId})`);
      }
    }
    return recorded;
  }

  private async record(input: Parameters<typeof recordExternalRun>[1]): Promise<number | null> {
    return withTransaction(this.o.pool, (client) => recordExternalRun(client, input), { lock: RECORD_LOCK });
  }
}
