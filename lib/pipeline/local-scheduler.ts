import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../paths";
import { parsePythonJson, pyJsonDumps } from "./python-format";
import type { SchedulerTransport } from "./rpc-client";

// --local-scheduler: the scheduler's own logic (lib/scheduler) inside this process, in memory, like
// luigi's --local-scheduler. Calls go through the scheduler's RPC layer (argument binding, defaults,
// Python JSON) exactly as an HTTP request would, minus the socket; the answer is decoded from the
// same `{"response": ...}` text, so the worker cannot tell the difference.

type Service = { execute(method: string, data: Record<string, unknown>): Promise<Buffer[]>; isMethod(name: string): boolean };

export class LocalSchedulerUnavailable extends Error {}

const load = async (file: string) => {
  const full = path.join(repoRoot, file);
  if (!fs.existsSync(full)) throw new LocalSchedulerUnavailable(`--local-scheduler: ${file} is missing from this checkout; use --scheduler-url`);
  return (await import(pathToFileURL(full).href)) as Record<string, unknown>;
};

export async function createLocalScheduler(): Promise<SchedulerTransport> {
  const config = (await load("lib/scheduler/config.ts")) as { defaultSchedulerConfig(): unknown; coreConfigOf(c: unknown): unknown };
  const core = (await load("lib/scheduler/core/scheduler.ts")) as { Scheduler: new (config: unknown) => unknown };
  const service = (await load("lib/scheduler/service.ts")) as {
    SchedulerService: new (scheduler: unknown, durability: unknown) => Service;
    MemoryDurability: new (scheduler: unknown) => unknown;
  };
  const scheduler = new core.Scheduler(config.coreConfigOf(config.defaultSchedulerConfig()));
  return new LocalTransport(new service.SchedulerService(scheduler, new service.MemoryDurability(scheduler)));
}

export class LocalTransport implements SchedulerTransport {
  constructor(private readonly service: Service) {}

  async call(method: string, args: Record<string, unknown>): Promise<unknown> {
    if (!this.service.isMethod(method)) throw new Error(`the scheduler has no method ${method}`);
    // A JSON round trip: the scheduler must not keep references to the worker's objects.
    const body = await this.service.execute(method, parsePythonJson(pyJsonDumps(args)) as Record<string, unknown>);
    // The service answers in chunks (long replies such as task_list are written piecewise).
    return (parsePythonJson(Buffer.concat(body).toString("utf8")) as { response: unknown }).response;
  }
}
