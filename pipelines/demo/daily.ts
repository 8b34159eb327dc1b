import fs from "node:fs";
import path from "node:path";
import { DirectoryTarget, formatIsoDate, LocalTarget, param, PostgresMarkerTarget, sharedPool, Task, WrapperTask } from "../../lib/pipeline";
import { aggregateAccounts, cleanEvents, computeMetrics, sessionize, type AccountDay, type DailyMetrics } from "./analytics";
import { demoOwners, injectFailure, periodDir, serviceParam, servicePopulation, serviceZone } from "./common";
import { demoDdl, loadAccountDaily, loadServiceMetrics, MARKER_TABLE, metricsHistory } from "./demo-db";
import { eventsFromCsv, eventsToCsv, readGzip, sessionsFromCsv, sessionsToCsv, writeGzip, type Session } from "./records";
import { renderReport } from "./report";
import { generateDay } from "./synthetic-events";
import { localDayBounds } from "./zones";

// The demo daily pipeline for one service and one local day:
//   GenerateEvents → CleanEvents → Sessionize → AggregateAccounts → ComputeMetrics
//   AggregateAccounts → LoadAccountDaily;  ComputeMetrics → LoadServiceMetrics
//   ComputeMetrics + both loads → PublishReport;  AllDailyTask wraps it all.
// Run: switchyard run --module pipelines/demo/daily.ts AllDailyTask --service-id northwind-traders --day 2026-11-22

abstract class DailyTask extends Task.params({ service_id: serviceParam(), day: param.date({ description: "the service's local calendar day" }) }) {
  owners = demoOwners(this.service_id);

  get dayText(): string {
    return formatIsoDate(this.day);
  }

  file(name: string): string {
    return path.join(periodDir(this.service_id, "daily", this.dayText), name);
  }

  protected inject(): void {
    injectFailure(this, this.service_id, "daily", this.dayText);
  }

  protected same<T extends Task>(cls: new (values: never) => T): T {
    return this.clone(cls);
  }
}

/** The day's raw event log, synthesised from (service, day): tens of thousands of rows. */
export class GenerateEvents extends DailyTask {
  output() {
    return new LocalTarget(this.file("events.csv.gz"));
  }

  async run() {
    this.inject();
    const pop = servicePopulation(this.service_id);
    const { events } = generateDay(pop, this.day);
    await this.output().writeWith((tmp) => writeGzip(tmp, eventsToCsv(events)));
    this.log.info(`generated ${events.length} events from ${pop.users} users in ${pop.accounts} accounts (${pop.timeZone})`);
    this.setStatusMessage(`${events.length} events`);
  }
}

/** Drops duplicates, rows without a user and rows outside the local day. */
export class CleanEvents extends DailyTask {
  requires() {
    return this.same(GenerateEvents);
  }

  output() {
    return new LocalTarget(this.file("clean-events.csv.gz"));
  }

  async run() {
    this.inject();
    const { events, bad } = eventsFromCsv(readGzip(this.requires().output().path));
    const { start, end } = localDayBounds(this.day, serviceZone(this.service_id).timeZone);
    const clean = cleanEvents(events, start, end, bad);
    await this.output().writeWith((tmp) => writeGzip(tmp, eventsToCsv(clean.events)));
    this.log.info(`kept ${clean.stats.kept} of ${clean.stats.input} events`, { ...clean.stats });
    this.setStatusMessage(`kept ${clean.stats.kept}/${clean.stats.input}`);
  }
}

/** Users' events split into sessions at 30 idle minutes; written as 4 partitions + _SUCCESS. */
export class Sessionize extends DailyTask {
  requires() {
    return this.same(CleanEvents);
  }

  output() {
    return new DirectoryTarget(this.file("sessions"));
  }

  async run() {
    this.inject();
    const { events } = eventsFromCsv(readGzip(this.requires().output().path));
    this.setProgressPercentage(25);
    const sessions = sessionize(events);
    this.setProgressPercentage(75);
    const parts: Session[][] = [[], [], [], []];
    for (const s of sessions) parts[Number(s.user.slice(1)) % parts.length].push(s);
    await this.output().writeWith((tmp) => parts.forEach((p, i) => writeGzip(path.join(tmp, `part-${String(i).padStart(4, "0")}.csv.gz`), sessionsToCsv(p))));
    this.setProgressPercentage(100);
    this.log.info(`${sessions.length} sessions from ${events.length} events`);
  }
}

export async function readSessions(target: DirectoryTarget): Promise<Session[]> {
  return (await target.files()).flatMap((f) => sessionsFromCsv(readGzip(f)));
}

/** Per-account totals for the day. */
export class AggregateAccounts extends DailyTask {
  requires() {
    return this.same(Sessionize);
  }

  output() {
    return new LocalTarget(this.file("accounts.json"));
  }

  async run() {
    this.inject();
    const accounts = aggregateAccounts(await readSessions(this.requires().output()));
    await this.output().write(JSON.stringify(accounts));
    this.log.info(`${accounts.length} accounts`);
  }
}

/** The day's service metrics: volumes, percentiles, rates, mix, hourly curve, top accounts. */
export class ComputeMetrics extends DailyTask {
  requires() {
    return { events: this.same(CleanEvents), sessions: this.same(Sessionize), accounts: this.same(AggregateAccounts) };
  }

  output() {
    return new LocalTarget(this.file("metrics.json"));
  }

  async run() {
    this.inject();
    const req = this.requires();
    const { events } = eventsFromCsv(readGzip(req.events.output().path));
    const accounts = JSON.parse(fs.readFileSync(req.accounts.output().path, "utf8")) as AccountDay[];
    const metrics = computeMetrics(events, await readSessions(req.sessions.output()), accounts, serviceZone(this.service_id).timeZone);
    await this.output().write(JSON.stringify(metrics, null, 2));
    this.log.info(`metrics: ${metrics.events} events, ${metrics.users} users, ${metrics.sessions} sessions, revenue ${metrics.revenueCents} cents`);
  }
}

abstract class DailyLoad extends DailyTask {
  // One load at a time across the fleet (an unconfigured resource has capacity 1 in the scheduler).
  resources = { demo_db: 1 };
  abstract readonly table: string;

  output() {
    return new PostgresMarkerTarget({ updateId: this.taskId, table: this.table, markerTable: MARKER_TABLE });
  }
}

/** demo.account_daily ← accounts.json, replaced for the (service, day) with the marker in one transaction. */
export class LoadAccountDaily extends DailyLoad {
  readonly table = "demo.account_daily";

  requires() {
    return this.same(AggregateAccounts);
  }

  async run() {
    this.inject();
    const rows = JSON.parse(fs.readFileSync(this.requires().output().path, "utf8")) as AccountDay[];
    await this.output().prepare(demoDdl);
    const n = await this.output().load((c) => loadAccountDaily(c, this.service_id, this.dayText, rows));
    this.log.info(`loaded ${n} rows into ${this.table}`);
  }
}

/** demo.service_daily_metrics ← metrics.json. */
export class LoadServiceMetrics extends DailyLoad {
  readonly table = "demo.service_daily_metrics";
  priority = 10;

  requires() {
    return this.same(ComputeMetrics);
  }

  async run() {
    this.inject();
    const metrics = JSON.parse(fs.readFileSync(this.requires().output().path, "utf8")) as DailyMetrics;
    await this.output().prepare(demoDdl);
    await this.output().load((c) => loadServiceMetrics(c, this.service_id, this.dayText, metrics));
    this.log.info(`loaded the day's metrics into ${this.table}`);
  }
}

/** report.html: the day against the service's recent history in PostgreSQL. */
export class PublishReport extends DailyTask {
  requires() {
    return { metrics: this.same(ComputeMetrics), accounts: this.same(LoadAccountDaily), service: this.same(LoadServiceMetrics) };
  }

  output() {
    return new LocalTarget(this.file("report.html"));
  }

  async run() {
    this.inject();
    const req = this.requires();
    const metrics = JSON.parse(fs.readFileSync(req.metrics.output().path, "utf8")) as DailyMetrics;
    const history = await metricsHistory(sharedPool(req.service.output().databaseUrl), this.service_id, this.dayText);
    const zone = serviceZone(this.service_id);
    const html = renderReport({ displayName: zone.displayName, service: this.service_id, day: this.dayText, timeZone: zone.timeZone, metrics, history, generatedBy: this.taskId });
    await this.output().write(html);
    this.log.info(`published ${this.output().path} (${history.length} earlier day(s) for the trend)`);
  }
}

/** The root task of a daily run. */
export class AllDailyTask extends WrapperTask.params({ service_id: serviceParam(), day: param.date({ description: "the service's local calendar day" }) }) {
  owners = demoOwners(this.service_id);

  requires() {
    return [this.clone(PublishReport), this.clone(LoadAccountDaily), this.clone(LoadServiceMetrics)];
  }
}
