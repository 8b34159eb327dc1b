import type pg from "pg";
import { resolveIncident } from "@/lib/alerts/actions";
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
// others, and leave every service they do not name alone. The open incidents of the retired
// services are resolved the way an operator resolves one (audited, the channels told), so the
// team's incident list and pager start from its own services.

const START: Actor = { kind: "system", id: "start", name: "start", role: "admin" };

export type Retirement = RetiredService & { resolvedIncidents: number };

export async function retireDemoServices(pool: pg.Pool, file: ServicesFile, source: string): Promise<Retirement[]> {
  if (file.services.some((s) => s.dailyCommand === demoCommands.daily)) return []; // the demo's own file, or one made from it
  const reason = `a demo fleet service, not in ${source}: disabled when that file took over`;
  const retired = await retireServices(pool, { keep: file.services.map((s) => s.name), dailyCommand: demoCommands.daily, actor: "system:start", reason });
  if (retired.length === 0) return [];
  const open = await pool.query<{ id: number; name: string }>(
    `SELECT i.id, s.name FROM alert_incidents i JOIN services s ON s.id = i.service_id WHERE i.status = 'open' AND s.name = ANY($1::text[]) ORDER BY i.id`,
    [retired.map((r) => r.service)],
  );
  const resolved = new Map<string, number>();
  for (const { id, name } of open.rows) {
    await resolveIncident(pool, START, { id, reason: `its service was retired: ${reason}` });
    resolved.set(name, (resolved.get(name) ?? 0) + 1);
  }
  return retired.map((r) => ({ ...r, resolvedIncidents: resolved.get(r.service) ?? 0 }));
}

/** "disabled the 24 demo fleet services that FILE does not name, cancelled their 150 queued runs and resolved their 17 open incidents: a, b, … (…)", or null. */
export function describeRetired(retired: Retirement[], file: string): string | null {
  if (retired.length === 0) return null;
  const runs = retired.reduce((n, r) => n + r.cancelledRuns, 0);
  const incidents = retired.reduce((n, r) => n + r.resolvedIncidents, 0);
  const also = [
    runs > 0 ? `cancelled their ${runs} queued run${runs === 1 ? "" : "s"}` : null,
    incidents > 0 ? `resolved their ${incidents} open incident${incidents === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return (
    `disabled the ${retired.length} demo fleet service${retired.length === 1 ? "" : "s"} that ${file} does not name` +
    `${also.length ? `, and ${also.join(" and ")}` : ""}: ${listNames(retired.map((r) => r.service))}. ` +
    `Enable one again on its service page (Edit, Enabled) or with PATCH /api/v1/services/NAME {"enabled": true}; it is not disabled again.`
  );
}
