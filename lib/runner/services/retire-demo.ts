import type pg from "pg";
import { resolveIncident } from "@/lib/alerts/actions";
import { ControlError } from "@/lib/control/errors";
import type { Actor } from "@/lib/auth/roles";
import { retireServices, type RetiredService } from "@/lib/db/services/retire-services";
import type { ServicesFile } from "@/lib/schemas/services";
import { demoCommands } from "@/pipelines/demo/fleet";
import { listNames } from "@/lib/runner/services/sync-services-file";

// `switchyard start --services FILE` on a home that ran the demo: the team's file takes over from
// the demo fleet, whose services would otherwise fail every day for want of the demo's database
// (exit 35). The demo services the file leaves out are disabled and their queued runs cancelled
// (lib/db/services/retire-services.ts). Only `start` does this, the one command that runs the
// whole system from one file: `services sync` and `runner --services` may add a file alongside
// others, and leave every service they do not name alone. The open incidents of the disabled demo
// services the file leaves out (retired now, at an earlier start, or by hand) are resolved at every
// such start the way an operator resolves one (audited, the channels told), so the team's incident
// list and pager hold only its own services.

const START: Actor = { kind: "system", id: "start", name: "start", role: "admin" };

export type Retirement = { services: RetiredService[]; resolvedIncidents: number };

export async function retireDemoServices(pool: pg.Pool, file: ServicesFile, source: string): Promise<Retirement> {
  if (file.services.some((s) => s.dailyCommand === demoCommands.daily)) return { services: [], resolvedIncidents: 0 }; // the demo's own file, or one made from it
  const keep = file.services.map((s) => s.name);
  const reason = `a demo fleet service, not in ${source}: disabled when that file took over`;
  const services = await retireServices(pool, { keep, dailyCommand: demoCommands.daily, actor: "system:start", reason });
  const open = await pool.query<{ id: number }>(
    `SELECT i.id FROM alert_incidents i JOIN services s ON s.id = i.service_id
      WHERE i.status = 'open' AND NOT s.enabled AND s.daily_command = $2 AND NOT (s.name = ANY($1::text[])) ORDER BY i.id`,
    [keep, demoCommands.daily],
  );
  let resolvedIncidents = 0;
  for (const { id } of open.rows) {
    try {
      await resolveIncident(pool, START, { id, reason: `its service is a disabled demo fleet service, not in ${source}` });
      resolvedIncidents++;
    } catch (error) {
      if (!(error instanceof ControlError && error.kind === "conflict")) throw error; // resolved meanwhile: nothing to do
    }
  }
  return { services, resolvedIncidents };
}

/** "disabled the 24 demo fleet services that FILE does not name, and cancelled their 150 queued runs and resolved their 17 open incidents: a, b, … (…)", or null. */
export function describeRetired(r: Retirement, file: string): string | null {
  const incidentCount = `${r.resolvedIncidents} open incident${r.resolvedIncidents === 1 ? "" : "s"}`;
  if (r.services.length === 0) return r.resolvedIncidents > 0 ? `resolved the ${incidentCount} of disabled demo fleet services that ${file} does not name` : null;
  const incidents = r.resolvedIncidents > 0 ? `resolved their ${incidentCount}` : null;
  const runs = r.services.reduce((n, s) => n + s.cancelledRuns, 0);
  const also = [runs > 0 ? `cancelled their ${runs} queued run${runs === 1 ? "" : "s"}` : null, incidents].filter(Boolean);
  return (
    `disabled the ${r.services.length} demo fleet service${r.services.length === 1 ? "" : "s"} that ${file} does not name` +
    `${also.length ? `, and ${also.join(" and ")}` : ""}: ${listNames(r.services.map((s) => s.service))}. ` +
    `Enable one again on its service page (Edit, Enabled) or with PATCH /api/v1/services/NAME {"enabled": true}; it is not disabled again.`
  );
}
