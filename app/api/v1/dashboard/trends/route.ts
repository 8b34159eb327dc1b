// GET /api/v1/dashboard/trends?window=day|week – runs finished per hour by status, queue depth, group durations.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getTrendsData } from "@/lib/presenters/get-trends-data";
import { trendsInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: trendsInput }, ({ input }) => getTrendsData(getPool(), input.window));
