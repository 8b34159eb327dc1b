import type pg from "pg";
import { externalEventCursor, followExternalRuns, readRootTaskEvents, recordExternalRun } from "@/lib/db/runs/external-runs";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { DatabaseOutage } from "@/lib/db/outage";
import type { Logger } from "@/lib/log/logger";
import { matchRootTask, rootTemplates, type RootTemplate } from "@/lib/runner/external/match-root-task";

// Runs launched elsewhere appear (issue 12): every few seconds, read the root-task events the
// scheduler wrote since the last pass, record an external run for each period that has none
// (trigger "external", host and worker from the scheduler), and follow the running external
// runs to done or failed. Recording takes an advisory lock, so several runners watching the same
// history record each external run once.

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
  private templatesAt = 0;
  private outage: DatabaseOutage | null = null;

  constructor(private readonly o: ExternalWatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.outage ??= new DatabaseOutage(this.o.logger);
      const outage = this.outage;
      this.pass()
        .then(() => outage.ok())
        .catch((error) => {
          if (!outage.failed(error)) this.o.logger.error("external runs: pass failed", { error: error as Error });
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
    if (this.cursor === null) this.cursor = await externalEventCursor(pool, this.o.lookbackHours ?? 6);
    // Services change rarely (sync, SIGHUP, API edit): their templates are re-read every 30 s.
    if (Date.now() - this.templatesAt > 30_000) {
      this.templates = rootTemplates(await listServiceRecords(pool));
      this.templatesAt = Date.now();
    }
    const families = [...new Set(this.templates.map((t) => t.spec.family))];
    const recorded: number[] = [];
    if (families.length) {
      const { events, cursor } = await readRootTaskEvents(pool, this.cursor, families);
      for (const e of events) {
        const match = matchRootTask(this.templates, e.family, e.params);
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
      this.cursor = cursor;
    }
    for (const f of await followExternalRuns(pool)) this.o.logger.info(`external run ${f.id}: ${f.status}`);
    return recorded;
  }

  private async record(input: Parameters<typeof recordExternalRun>[1]): Promise<number | null> {
    const client = await this.o.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [RECORD_LOCK]);
      const id = await recordExternalRun(client, input);
      await client.query("COMMIT");
      return id;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
