// GET /api/v1/dashboard/daily/:date – every service's daily run for one period date, against its usual duration.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getDailyDayData } from "@/lib/presenters/get-daily-day-data";
import { dayInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: dayInput }, ({ input }) => getDailyDayData(getPool(), input.date));
