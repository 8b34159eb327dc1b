import type pg from "pg";
import { selectFinishedRuns, selectQueueDepth, type DepthPoint, type StatusBucket } from "@/lib/db/queries/select-fleet-trends";
import { selectGroupDurations, type GroupDurationPoint } from "@/lib/db/queries/select-service-trends";

// The Trends page: how the fleet has been doing — runs finished per hour by status and the run
// queue's depth, over the last day or week, and the median duration of each concurrency group's
// daily runs over 90 days. Every query is bounded by its window (docs/QUERY-PLANS.md).

export const TREND_WINDOWS = { day: { window: "1 day", bucket: "1 hour", depthBucket: "10 minutes", depthMs: 600_000 }, week: { window: "7 days", bucket: "1 hour", depthBucket: "1 hour", depthMs: 3_600_000 } } as const;
export type TrendWindow = keyof typeof TREND_WINDOWS;
export const DURATION_DAYS = 90;

export type TrendsData = {
  generatedAt: string;
  window: TrendWindow;
  finished: StatusBucket[];
  queue: DepthPoint[];
  totals: { done: number; failed: number; cancelled: number; lost: number };
  groupDurations: { groups: string[]; points: Array<Record<string, number | string | null>> };
};

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function getTrendsData(pool: pg.Pool, window: TrendWindow, now = Date.now()): Promise<TrendsData> {
  const w = TREND_WINDOWS[window];
  const at = new Date(now);
  const [finished, queue, durations] = await Promise.all([
    selectFinishedRuns(pool, w.window, w.bucket, at),
    selectQueueDepth(pool, w.window, w.depthBucket, w.depthMs, at),
    selectGroupDurations(pool, iso(now - (DURATION_DAYS - 1) * 86_400_000), iso(now)),
  ]);
  const totals = { done: 0, failed: 0, cancelled: 0, lost: 0 };
  for (const b of finished) for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += b[k];
  return { generatedAt: at.toISOString(), window, finished: fillHours(finished, now, w.window === "1 day" ? 24 : 168), queue, totals, groupDurations: pivot(durations) };
}

/** One bar per hour, empty hours included, so the chart's time axis is even. */
function fillHours(buckets: StatusBucket[], now: number, hours: number): StatusBucket[] {
  const byAt = new Map(buckets.map((b) => [b.at, b]));
  const last = Math.floor(now / 3_600_000) * 3_600_000;
  const out: StatusBucket[] = [];
  for (let t = last - (hours - 1) * 3_600_000; t <= last; t += 3_600_000) {
    const at = new Date(t).toISOString();
    out.push(byAt.get(at) ?? { at, done: 0, failed: 0, cancelled: 0, lost: 0 });
  }
  return out;
}

/** Rows of { date, <group>: seconds } for a line per group. */
function pivot(points: GroupDurationPoint[]): TrendsData["groupDurations"] {
  const groups = [...new Set(points.map((p) => p.group))].sort();
  const byDate = new Map<string, Record<string, number | string | null>>();
  for (const p of points) {
    const row = byDate.get(p.date) ?? { date: p.date };
    row[p.group] = p.medianSeconds;
    byDate.set(p.date, row);
  }
  return { groups, points: [...byDate.values()] };
}
