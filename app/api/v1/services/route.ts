// GET /api/v1/services – every service with its schedule, command and policies
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { listServicesQuery } from "@/lib/schemas/services";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listServicesQuery }, async () => ({ services: await listServiceRecords(getPool()) }));
