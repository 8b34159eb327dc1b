// GET /api/v1/runners – the runners of the component health: alive, or down without having stopped
// (for a day); and the one that stopped last, so "no runner" can say since when and which
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { lastRunnerStop, listRunners } from "@/lib/db/hosts/runners";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, async () => {
  const pool = getPool();
  const [runners, lastStopped] = await Promise.all([listRunners(pool), lastRunnerStop(pool)]);
  return { runners, lastStopped };
});
