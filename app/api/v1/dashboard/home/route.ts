// GET /api/v1/dashboard/home – the home page's read model: today's counts, weekly grid, active runs, queue, hosts.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { sharedHomeData } from "@/lib/presenters/get-home-data";

export const dynamic = "force-dynamic";

// shared with the page's render and other tabs' polls of the same moment (shared-read.ts)
export const GET = withApi({ role: "viewer" }, () => sharedHomeData(getPool()));
