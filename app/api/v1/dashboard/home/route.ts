// GET /api/v1/dashboard/home – the home page's read model: today's counts, weekly grid, active runs, queue, hosts.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getHomeData } from "@/lib/presenters/get-home-data";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, () => getHomeData(getPool()));
