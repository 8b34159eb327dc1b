// GET /api/v1/services – every service with its schedule, command and policies (environment values for admins only)
import { withApi } from "@/lib/api/handler";
import { redactEnvironment } from "@/lib/auth/redact";
import { getPool } from "@/lib/db/client";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { listServicesQuery } from "@/lib/schemas/services";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listServicesQuery }, async ({ actor }) => ({ services: (await listServiceRecords(getPool())).map((s) => redactEnvironment(s, actor)) }));
