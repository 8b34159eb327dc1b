"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { ActiveRunsTable } from "@/components/home/active-runs-table";
import { HealthPanel } from "@/components/home/health-panel-client";
import { IncidentBadge } from "@/components/home/incident-badge";
import { QueueCard } from "@/components/home/queue-card";
import { TodayCounts } from "@/components/home/today-counts";
import { WeeklyGrid } from "@/components/home/weekly-grid-client";
import { dashboardKeys } from "@/components/live/query-keys";
import { homeIsActive, homeQuery } from "@/components/live/query-options";
import { LiveStatus } from "@/components/live/live-status";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import type { HomeData } from "@/lib/presenters/get-home-data";

const HostCharts = dynamic(() => import("@/components/home/host-charts-client"), {
  ssr: false,
  loading: () => <p className="text-sm text-zinc-500">Loading host charts…</p>,
});

/** The home page's live half: starts from the server's read model, then polls it. */
export function HomeClient({ initialData, canAct }: { initialData: HomeData; canAct: boolean }) {
  // a page that carries only the grid's first rows (app/page.tsx) fetches the whole read model at once
  const partial = initialData.grid.totalRows !== undefined;
  const { data, error } = useQuery({ ...homeQuery(), initialData, initialDataUpdatedAt: partial ? 0 : Date.parse(initialData.generatedAt) });
  const active = homeIsActive(data);
  useIdlePulse(!active, dashboardKeys.home());
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold">Fleet</h1>
          <LiveStatus generatedAt={data.generatedAt} active={active} error={error} />
        </div>
        <IncidentBadge open={data.incidents} />
      </div>
      <TodayCounts data={data} />
      <div className="grid gap-4 md:grid-cols-[2fr_1fr]">
        <HealthPanel canAct={canAct} />
        <QueueCard queue={data.queue} now={data.generatedAt} canAct={canAct} />
      </div>
      {/* what needs a hand first: the 1,000-row grid would push it far down */}
      <ActiveRunsTable runs={data.active} now={data.generatedAt} canAct={canAct} />
      <WeeklyGrid grid={data.grid} />
      <HostCharts />
    </div>
  );
}
