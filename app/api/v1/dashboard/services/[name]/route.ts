// GET /api/v1/dashboard/services/:name – one service's 90-day grid, duration trend, recent runs and configuration.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { serviceInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: serviceInput }, async ({ input }) => {
  const data = await getServiceData(getPool(), input.name);
  if (!data) throw notFound(`service ${input.name}`);
  return data;
});
