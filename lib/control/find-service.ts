import { notFound } from "@/lib/control/errors";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { getServiceRecord, type ServiceRecord } from "@/lib/db/services/service-record";

export async function findServiceOrThrow(db: Queryable, name: string): Promise<ServiceRecord> {
  const service = await getServiceRecord(db, name);
  if (!service) throw notFound(`service "${name}"`);
  return service;
}
