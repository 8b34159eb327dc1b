// GET /api/v1/dashboard/hosts – worker hosts' CPU and memory, last hour and last day, bucketed for charts.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getHostsData } from "@/lib/presenters/get-hosts-data";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, () => getHostsData(getPool()));
