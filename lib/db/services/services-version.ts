import type { Queryable } from "@/lib/db/runs/run-columns";

// A cheap fingerprint of the services' configuration: it changes whenever a service is added or
// saved (sync, SIGHUP, API edit — each sets updated_at), so a loop can re-read the services only
// when they changed instead of on a timer that leaves them stale for a while.
export async function servicesVersion(db: Queryable): Promise<string> {
  const r = await db.query(
    `SELECT concat_ws('/', (SELECT count(*) FROM services), (SELECT max(updated_at) FROM services),
                          (SELECT count(*) FROM service_run_options), (SELECT max(updated_at) FROM service_run_options)) AS v`,
  );
  return r.rows[0].v as string;
}
