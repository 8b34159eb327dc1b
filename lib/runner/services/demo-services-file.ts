import { demoCommands, demoServices } from "@/pipelines/demo/fleet";
import type { z } from "zod";
import type { servicesFileSchema } from "@/lib/schemas/services";

// The demo fleet as a services file: pipelines/demo/switchyard.services.json is this, written
// out (`node --import tsx lib/runner/services/demo-services-file.ts > pipelines/demo/switchyard.services.json`),
// and a test checks the two agree. Kept light for a 2-core machine: hourly runs for only the
// first HOURLY_SERVICES of fleet.ts's hourly services.
//
// Every demo service is in the concurrency group "demo_db", named after the scheduler resource the
// demo's load tasks take (capacity 1): at most DEMO_MAX_RUNNING demo runs at once. Two runs that
// meet at a load task take turns — the worker waits for a resource held elsewhere (lib/pipeline
// worker.ts waitingForResources) instead of exiting "not run" as Luigi's worker would.

export const HOURLY_SERVICES = 3;
export const DEMO_MAX_RUNNING = 2;

export function demoServicesFile(): z.input<typeof servicesFileSchema> {
  let hourlyLeft = HOURLY_SERVICES;
  return {
    maxRunning: DEMO_MAX_RUNNING,
    concurrencyGroups: { demo_db: DEMO_MAX_RUNNING },
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
