// GET /api/v1/dashboard/daily – a page of days (newest first) with each day's period counts; ?before=YYYY-MM-DD pages back.
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getDailyListData } from "@/lib/presenters/get-daily-list-data";
import { daysInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: daysInput }, ({ input }) => getDailyListData(getPool(), { before: input.before }));
