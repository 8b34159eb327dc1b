// GET /api/v1/dashboard/workers – the scheduler's workers and resources, with each worker host's CPU and memory.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getWorkersData } from "@/lib/presenters/get-workers-data";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, () => getWorkersData(getPool(), schedulerUrl()));
