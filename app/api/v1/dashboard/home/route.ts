// GET /api/v1/dashboard/home – the home page's read model: today's counts, weekly grid, active runs, queue, hosts.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getHomeData, HOME_READ_MAX_AGE_MS } from "@/lib/presenters/get-home-data";
import { sharedRead } from "@/lib/presenters/shared-read";

export const dynamic = "force-dynamic";

// shared with the page's render and other tabs' polls of the same moment (shared-read.ts)
export const GET = withApi({ role: "viewer" }, () => sharedRead("home", HOME_READ_MAX_AGE_MS, () => getHomeData(getPool())));
