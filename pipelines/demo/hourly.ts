import path from "node:path";
import { formatDateHour, LocalTarget, param, PostgresMarkerTarget, Task, WrapperTask } from "../../lib/pipeline";
import { rollupMinutes, type MinuteRollup } from "./analytics";
import { demoOwners, injectFailure, periodDir, serviceParam, servicePopulation, serviceZone } from "./common";
import { demoDdl, loadHourlyRollup, MARKER_TABLE } from "./demo-db";
import { eventsFromCsv, eventsToCsv, readGzip, writeGzip } from "./records";
import { generateLocalHour } from "./synthetic-events";
import { localHourBounds } from "./zones";

// The demo hourly pipeline for one service and one local hour:
//   GenerateHourlyEvents → RollupHourly → LoadHourlyRollup, under AllHourlyTask.
// The hour's events are exactly that hour's slice of the daily log (same generator and seed).
// Run: switchyard run --module pipelines/demo/hourly.ts AllHourlyTask --service-id northwind-traders --hour 2026-11-22T07

const hourlyParams = () => ({ service_id: serviceParam(), hour: param.dateHour({ description: "the service's local hour, YYYY-MM-DDTHH" }) });

abstract class HourlyTask extends Task.params(hourlyParams()) {
  owners = demoOwners(this.service_id);

  get hourText(): string {
    return formatDateHour(this.hour);
  }

  /** The hour's first instant in UTC (the parameter names a local wall-clock hour). */
  get hourStart(): number {
    return localHourBounds(this.hour, serviceZone(this.service_id).timeZone).start;
  }

  file(name: string): string {
    return path.join(periodDir(this.service_id, "hourly", this.hourText), name);
  }

  protected inject(): void {
    injectFailure(this, this.service_id, "hourly", this.hourText);
  }
}

export class GenerateHourlyEvents extends HourlyTask {
  output() {
    return new LocalTarget(this.file("events.csv.gz"));
  }

  async run() {
    this.inject();
    const events = generateLocalHour(servicePopulation(this.service_id), this.hourStart);
    await this.output().writeWith((tmp) => writeGzip(tmp, eventsToCsv(events)));
    this.log.info(`generated ${events.length} events for ${this.hourText} local time`);
  }
}

export class RollupHourly extends HourlyTask {
  requires() {
    return this.clone(GenerateHourlyEvents);
  }

  output() {
    return new LocalTarget(this.file("rollup.json"));
  }

  async run() {
    this.inject();
    const { events } = eventsFromCsv(readGzip(this.requires().output().path));
    const seen = new Set<string>();
    const clean = events.filter((e) => e.user && !seen.has(e.id) && seen.add(e.id));
    const minutes = rollupMinutes(clean, this.hourStart);
    await this.output().write(JSON.stringify({ hourStart: new Date(this.hourStart).toISOString(), events: clean.length, minutes }));
    this.log.info(`rolled ${clean.length} events into 60 minutes`);
  }
}

export class LoadHourlyRollup extends HourlyTask {
  resources = { demo_db: 1 };
  priority = 20; // hourly numbers are wanted sooner than daily ones

  requires() {
    return this.clone(RollupHourly);
  }

  output() {
    return new PostgresMarkerTarget({ updateId: this.taskId, table: "demo.hourly_rollups", markerTable: MARKER_TABLE });
  }

  async run() {
    this.inject();
    const { minutes } = JSON.parse(await this.requires().output().readText()) as { minutes: MinuteRollup[] };
    await this.output().prepare(demoDdl);
    const n = await this.output().load((c) => loadHourlyRollup(c, this.service_id, new Date(this.hourStart), minutes));
    this.log.info(`loaded ${n} minute rows into demo.hourly_rollups`);
  }
}

/** The root task of an hourly run. */
export class AllHourlyTask extends WrapperTask.params(hourlyParams()) {
  owners = demoOwners(this.service_id);

  requires() {
    return this.clone(LoadHourlyRollup);
  }
}
