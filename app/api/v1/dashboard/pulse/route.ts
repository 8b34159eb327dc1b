// GET /api/v1/dashboard/pulse – a change token for live pages: newest run id, running and queued counts.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getPulseData } from "@/lib/presenters/get-pulse-data";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, () => getPulseData(getPool()));
