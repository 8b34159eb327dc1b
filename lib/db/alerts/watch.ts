import type { Queryable } from "@/lib/db/runs/run-columns";

// The lease on alert_watch (migration 20261207010000_alert_watch): which alert loop tells the
// channels when the database is unreachable (lib/alerts/database-watch.ts).

export type WatchClaim = { holder: string; secondsLeft: number };

/**
 * Takes the lease `name` for `holder` when it is free, expired or already its own, for
 * `leaseSeconds`; answers who holds it now and for how much longer, by the database's clock (so
 * the hosts' clocks need not agree).
 */
export async function claimWatch(db: Queryable, name: string, holder: string, leaseSeconds: number): Promise<WatchClaim> {
  const r = await db.query<{ holder: string; seconds_left: number }>(
    `WITH claimed AS (
       INSERT INTO alert_watch (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE alert_watch.holder = excluded.holder OR alert_watch.expires_at < now()
       RETURNING holder, expires_at
     )
     SELECT holder, extract(epoch FROM expires_at - now())::float8 AS seconds_left FROM claimed
     UNION ALL
     SELECT holder, extract(epoch FROM expires_at - now())::float8 FROM alert_watch WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM claimed)`,
    [name, holder, leaseSeconds],
  );
  const row = r.rows[0];
  return { holder: row.holder, secondsLeft: row.seconds_left };
}

/** Gives the lease up (a loop that stops): the next loop to claim it holds it at once. */
export async function releaseWatch(db: Queryable, name: string, holder: string): Promise<void> {
  await db.query("DELETE FROM alert_watch WHERE name = $1 AND holder = $2", [name, holder]);
}
