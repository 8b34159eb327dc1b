// GET /api/v1/runners – the runners of the component health: alive, or down without having stopped (for a day)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { listRunners } from "@/lib/db/hosts/runners";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, async () => ({ runners: await listRunners(getPool()) }));
