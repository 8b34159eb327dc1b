import type pg from "pg";
import { ZodError } from "zod";
import { serviceDiff } from "@/lib/audit/service-diff";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { findServiceOrThrow } from "@/lib/control/find-service";
import { saveService } from "@/lib/db/services/save-service";
import { getServiceRecord, type ServiceRecord } from "@/lib/db/services/service-record";
import { serviceConfigSchema, type ServiceUpdate } from "@/lib/schemas/services";

// PATCH /api/v1/services/{name}: the named fields merged over the stored service, and the whole
// result validated again (so "hourly: true" without an hourly command is refused with the field
// named). The audit entry keeps each changed field's old and new value (environment: names only).
// A later runner start with the config file overwrites the edit: the file is the source of truth.

/** The stored service without what only the database knows, i.e. as a config file would say it. */
function configFields(service: ServiceRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...service };
  for (const key of ["id", "paused", "source", "updatedAt"]) delete fields[key];
  return fields;
}

export async function updateService(pool: pg.Pool, actor: Actor, input: ServiceUpdate): Promise<ServiceRecord> {
  const { name, reason, ...changes } = input;
  let before: ServiceRecord | null = null;
  return audited(
    pool,
    actor,
    { intent: "service.update", targetId: name, reason },
    async (db) => {
      before = await findServiceOrThrow(db, name);
      const merged = serviceConfigSchema.safeParse({ ...configFields(before), ...changes, name });
      if (!merged.success) throw new ZodError(merged.error.issues);
      await saveService(db, merged.data, "api");
      return (await getServiceRecord(db, name))!;
    },
    (after) => ({ changed: serviceDiff(before, after, Object.keys(changes)) }),
  );
}
