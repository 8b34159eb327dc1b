import type pg from "pg";
import { retireServices, type RetiredService } from "@/lib/db/services/retire-services";
import type { ServicesFile } from "@/lib/schemas/services";
import { demoCommands } from "@/pipelines/demo/fleet";
import { listNames } from "@/lib/runner/services/sync-services-file";

// `switchyard start --services FILE` on a home that ran the demo: the team's file takes over from
// the demo fleet, whose services would otherwise fail every day for want of the demo's database
// (exit 35). The demo services the file leaves out are disabled and their queued runs cancelled
// (lib/db/services/retire-services.ts). Only `start` does this, the one command that runs the
// whole system from one file: `services sync` and `runner --services` may add a file alongside
// others, and leave every service they do not name alone.

export async function retireDemoServices(pool: pg.Pool, file: ServicesFile, source: string): Promise<RetiredService[]> {
  if (file.services.some((s) => s.dailyCommand === demoCommands.daily)) return []; // the demo's own file, or one made from it
  return retireServices(pool, {
    keep: file.services.map((s) => s.name),
    dailyCommand: demoCommands.daily,
    actor: "system:start",
    reason: `a demo fleet service, not in ${source}: disabled when that file took over`,
  });
}

/** "disabled the 24 demo fleet services that FILE does not name, and cancelled their 150 queued runs: a, b, … (…)", or null. */
export function describeRetired(retired: RetiredService[], file: string): string | null {
  if (retired.length === 0) return null;
  const runs = retired.reduce((n, r) => n + r.cancelledRuns, 0);
  return (
    `disabled the ${retired.length} demo fleet service${retired.length === 1 ? "" : "s"} that ${file} does not name` +
    `${runs > 0 ? `, and cancelled their ${runs} queued run${runs === 1 ? "" : "s"}` : ""}: ${listNames(retired.map((r) => r.service))}. ` +
    `Enable one again on its service page (Edit, Enabled) or with PATCH /api/v1/services/NAME {"enabled": true}; it is not disabled again.`
  );
}
