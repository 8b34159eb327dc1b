import type pg from "pg";
import { latestMigration, type MigrationInfo } from "@/lib/db/migrate";

// The home page's read model. Its cost depends on services × periods shown, never on tasks held.

export type HomeData = {
  services: { total: number; enabled: number };
  latestMigration: MigrationInfo;
};

export async function getHomeData(pool: pg.Pool): Promise<HomeData> {
  const [counts, migration] = await Promise.all([
    pool.query<{ total: number; enabled: number }>("SELECT count(*)::int AS total, count(*) FILTER (WHERE enabled)::int AS enabled FROM services"),
    latestMigration(pool),
  ]);
  return { services: counts.rows[0], latestMigration: migration };
}
