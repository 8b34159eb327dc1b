// GET /api/v1/services/{name} – one service (environment values for admins only), with its silence
// PATCH /api/v1/services/{name} – change some of its fields (admin), with a reason
import { withApi } from "@/lib/api/handler";
import { redactEnvironment } from "@/lib/auth/redact";
import { getPool } from "@/lib/db/client";
import { findServiceOrThrow } from "@/lib/control/find-service";
import { withSilences } from "@/lib/control/service-silences";
import { updateService } from "@/lib/control/update-service";
import { serviceNameParams, serviceUpdateSchema } from "@/lib/schemas/services";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: serviceNameParams }, async ({ input, actor }) => {
  const pool = getPool();
  const [service] = await withSilences(pool, [redactEnvironment(await findServiceOrThrow(pool, input.name), actor)], new Date());
  return { service };
});

export const PATCH = withApi({ role: "admin", input: serviceUpdateSchema }, async ({ input, actor }) => ({ service: await updateService(getPool(), actor, input) }));
