"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { trendsQuery } from "@/components/live/query-options";
import type { TrendsData, TrendWindow } from "@/lib/presenters/get-trends-data";

// Fleet trends: the day or the week at a glance, then the 90-day duration trend per group.
// The charts are recharts, loaded in the browser only (they measure their container).

const loading = () => <p className="h-60 text-sm text-zinc-500">Loading chart…</p>;
const FinishedRunsChart = dynamic(() => import("@/components/trends/trend-charts-client").then((m) => m.FinishedRunsChart), { ssr: false, loading });
const QueueDepthChart = dynamic(() => import("@/components/trends/trend-charts-client").then((m) => m.QueueDepthChart), { ssr: false, loading });
const GroupDurationChart = dynamic(() => import("@/components/trends/trend-charts-client").then((m) => m.GroupDurationChart), { ssr: false, loading });

export function TrendsClient({ initialData }: { initialData: TrendsData }) {
  const window = initialData.window;
  const { data = initialData } = useQuery({ ...trendsQuery(window), initialData });
  const t = data.totals;
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold">Trends</h1>
        <nav aria-label="Window" className="flex gap-2 text-sm">
          {(["day", "week"] as TrendWindow[]).map((w) => (
            <Link key={w} href={`/trends?window=${w}`} aria-current={w === window ? "page" : undefined} className={w === window ? "font-semibold underline" : "text-zinc-600 hover:underline dark:text-zinc-300"}>
              Last {w}
            </Link>
          ))}
        </nav>
      </div>
      <section aria-labelledby="finished-heading" className="space-y-2">
        <h2 id="finished-heading" className="text-lg font-semibold">
          Runs finished per hour
        </h2>
        <p className="text-sm" data-testid="trend-totals">
          {t.done} done · {t.failed} failed · {t.lost} lost · {t.cancelled} cancelled in the last {window}
        </p>
        <FinishedRunsChart data={data} />
      </section>
      <section aria-labelledby="queue-heading" className="space-y-2">
        <h2 id="queue-heading" className="text-lg font-semibold">
          Run queue
        </h2>
        <QueueDepthChart data={data} />
      </section>
      <section aria-labelledby="groups-heading" className="space-y-2">
        <h2 id="groups-heading" className="text-lg font-semibold">
          Median daily duration by concurrency group, last 90 days
        </h2>
        {data.groupDurations.points.length === 0 ? <p className="text-sm text-zinc-500">No daily run has finished in the last 90 days.</p> : <GroupDurationChart data={data} />}
      </section>
    </div>
  );
}
