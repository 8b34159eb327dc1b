import path from "node:path";
import { param, type Task } from "../../lib/pipeline";
import { maybeFail, volumeFactor } from "./failures";
import { findDemoService } from "./fleet";
import { population, type Population } from "./synthetic-events";

// What the daily and hourly demo pipelines share: where outputs go, the service parameter, and
// the failure injection every real step goes through.

/** $SWITCHYARD_HOME/demo-output (SWITCHYARD_HOME defaults to ./.switchyard, as for the rest of Switchyard). */
export function outputRoot(): string {
  return path.resolve(process.env.SWITCHYARD_HOME?.trim() || ".switchyard", "demo-output");
}

export const serviceParam = () =>
  param.string({
    description: "the service's name, e.g. northwind-traders",
    // it becomes a folder name: no separators, no dot-dot
    validate: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(v) ? undefined : `${JSON.stringify(v)} is not a service name (letters, digits, ".", "_" and "-")`),
  });

export function periodDir(service: string, kind: "daily" | "hourly", period: string): string {
  return path.join(outputRoot(), service, kind, period);
}

export function servicePopulation(service: string): Population {
  return population(service, volumeFactor(service));
}

export function serviceZone(service: string): { timeZone: string; displayName: string } {
  return findDemoService(service);
}

/** Throws on the attempts the failure injection picked for this task (see failures.ts). */
export function injectFailure(task: Task, service: string, kind: "daily" | "hourly", period: string): void {
  maybeFail({ taskId: task.taskId, family: task.taskFamily, service, period }, path.join(periodDir(service, kind, period), ".attempts"));
}

export const demoOwners = (service: string) => [`data-eng+${service}@example.com`];
