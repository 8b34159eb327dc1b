// GET /api/v1/services – every service with its schedule, command and policies (environment values
// for admins only), and the silence of its alerts when it has one
import { withApi } from "@/lib/api/handler";
import { redactEnvironment } from "@/lib/auth/redact";
import { withSilences } from "@/lib/control/service-silences";
import { getPool } from "@/lib/db/client";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { listServicesQuery } from "@/lib/schemas/services";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listServicesQuery }, async ({ actor }) => {
  const pool = getPool();
  const services = (await listServiceRecords(pool)).map((s) => redactEnvironment(s, actor));
  return { services: await withSilences(pool, services, new Date()) };
});
