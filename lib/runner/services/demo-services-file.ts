import { demoCommands, demoServices } from "@/pipelines/demo/fleet";
import type { z } from "zod";
import type { servicesFileSchema } from "@/lib/schemas/services";

// The demo fleet as a services file: pipelines/demo/switchyard.services.json is this, written
// out (`node --import tsx lib/runner/services/demo-services-file.ts > pipelines/demo/switchyard.services.json`),
// and a test checks the two agree. Kept light for a 2-core machine: hourly runs for only the
// first HOURLY_SERVICES of fleet.ts's hourly services.
//
// Every demo service is in the concurrency group "demo_db" (one run at a time), mirroring the
// scheduler resource of the same name that the demo's load tasks take (capacity 1 unless the
// scheduler is configured otherwise). Without it, two demo runs collide on that resource: the
// worker that gets no work exits "not run" (25), and its announced, still-pending load tasks keep
// reserving demo_db in the scheduler until the dead worker times out (Luigi's greedy resource
// reservation, worker_disconnect_delay 60 s), which blocks every other run's loads in turn.

export const HOURLY_SERVICES = 3;
export const DEMO_MAX_RUNNING = 2;

export function demoServicesFile(): z.input<typeof servicesFileSchema> {
  let hourlyLeft = HOURLY_SERVICES;
  return {
    maxRunning: DEMO_MAX_RUNNING,
    concurrencyGroups: { demo_db: 1 },
    services: demoServices().map((s) => {
      const hourly = s.hourly && hourlyLeft-- > 0;
      const enterprise = s.labels.tier === "enterprise";
      return {
        name: s.name,
        displayName: s.displayName,
        timeZone: s.timeZone,
        dailyTime: s.dailyTime,
        hourly,
        hourlyMinute: s.hourlyMinute,
        dailyCommand: demoCommands.daily,
        hourlyCommand: demoCommands.hourly,
        forceArgument: demoCommands.force,
        fromTaskArgument: demoCommands.forceTask,
        labels: s.labels,
        concurrencyGroup: "demo_db",
        retry: enterprise ? { attempts: 1, backoffSeconds: 120 } : { attempts: 0, backoffSeconds: 300 },
        timeoutSeconds: 1800,
        expectedDoneBy: "08:00",
      };
    }),
  };
}

if (process.argv[1]?.endsWith("demo-services-file.ts")) {
  process.stdout.write(`${JSON.stringify(demoServicesFile(), null, 2)}\n`);
}
