import { conflict, notFound } from "@/lib/control/errors";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { getServiceRecord, type ServiceRecord } from "@/lib/db/services/service-record";

export async function findServiceOrThrow(db: Queryable, name: string): Promise<ServiceRecord> {
  const service = await getServiceRecord(db, name);
  if (!service) throw notFound(`service "${name}"`);
  return service;
}

/**
 * A service whose runs the runner will launch. A disabled service's runs are never claimed, so a
 * re-run or backfill queued for it would wait silently forever: it is refused, saying what to do.
 * A paused one is accepted: its runs wait in the queue until it is resumed.
 */
export async function findRunnableServiceOrThrow(db: Queryable, name: string): Promise<ServiceRecord> {
  const service = await findServiceOrThrow(db, name);
  if (!service.enabled) {
    throw conflict(`service ${name} is disabled, so the runner launches none of its runs: enable it first (its service page, Edit, Enabled; or PATCH /api/v1/services/${name} {"enabled": true})`, { enabled: false });
  }
  return service;
}
