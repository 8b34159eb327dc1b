import type pg from "pg";
import { selectHostSeries, type HostSeries } from "@/lib/db/queries/select-host-series";

// The home page's worker-host charts: CPU and memory per host over the last hour (1-minute
// averages) and the last day (10-minute averages). Its own read model because a day of samples
// (8,640 per host at 10 s) is the heaviest part of the home page and changes slowly: the charts
// fetch it in the browser once a minute instead of riding on the grid's 2.5 s polls.

export type HostsData = { generatedAt: string; lastHour: HostSeries[]; lastDay: HostSeries[] };

export async function getHostsData(pool: pg.Pool, now = Date.now()): Promise<HostsData> {
  const [lastHour, lastDay] = await Promise.all([selectHostSeries(pool, now, "1 hour", "1 minute"), selectHostSeries(pool, now, "1 day", "10 minutes")]);
  return { generatedAt: new Date(now).toISOString(), lastHour, lastDay };
}
