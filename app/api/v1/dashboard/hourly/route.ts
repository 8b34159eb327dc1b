// GET /api/v1/dashboard/hourly – services × 24 service-local hours of ?date=YYYY-MM-DD (default: today, UTC).
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getHourlyData } from "@/lib/presenters/get-hourly-data";
import { hourlyInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: hourlyInput }, ({ input }) => getHourlyData(getPool(), input.date ?? null));
