"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo } from "react";
import { ServiceActions } from "@/components/actions/service-actions-client";
import { formatUtc } from "@/components/format/format";
import { StatusGrid } from "@/components/grid/status-grid-client";
import { IncidentsTable } from "@/components/incidents/incidents-table";
import { LiveStatus } from "@/components/live/live-status";
import { serviceQuery } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import { calendarRows, WEEKDAY_COLUMNS } from "@/components/services/calendar-rows";
import { RecentRunsTable } from "@/components/services/recent-runs-table";
import { ServiceConfig } from "@/components/services/service-config";
import { ServiceEdit } from "@/components/services/service-edit-client";
import { StatusLegend } from "@/components/status/status-letter";
import type { ServiceData } from "@/lib/presenters/get-service-data";

const DurationChart = dynamic(() => import("@/components/services/duration-chart-client"), {
  ssr: false,
  loading: () => <p className="h-56 text-sm text-zinc-500">Loading chart…</p>,
});

export function ServiceClient({ initialData, canAct, canEdit = false }: { initialData: ServiceData; canAct: boolean; canEdit?: boolean }) {
  const name = initialData.service.name;
  const { data, error } = useQuery({ ...serviceQuery(name), initialData, initialDataUpdatedAt: Date.parse(initialData.generatedAt) });
  useIdlePulse(!data.active, dashboardKeys.service(name));
  const rows = useMemo(() => calendarRows(name, data.calendar), [name, data.calendar]);
  const c = data.counts;
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">
          {data.service.displayName} <span className="font-mono text-base font-normal text-zinc-500">{name}</span>
        </h1>
        <LiveStatus generatedAt={data.generatedAt} active={data.active} error={error} />
        {data.service.paused ? <p className="text-sm font-semibold text-amber-700 dark:text-amber-400">Paused: its runs are queued when due but not started until it is resumed.</p> : null}
        {data.silence ? (
          <p className="text-sm font-semibold text-amber-700 dark:text-amber-400" data-testid="service-silence">
            Alerts silenced until {formatUtc(data.silence.endsAt)} UTC by {data.silence.createdBy}
            {data.silence.reason ? `: ${data.silence.reason}` : ""}. Its incidents still open; messages about them wait for the silence to end.
          </p>
        ) : null}
      </div>
      {canAct ? <ServiceActions service={name} paused={data.service.paused} silenced={data.silence !== null} today={data.today} hourly={data.service.hourlyEnabled} /> : null}
      {data.incidents.length > 0 ? (
        <section aria-labelledby="incidents-heading" className="space-y-3" data-testid="service-incidents">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="incidents-heading" className="text-lg font-semibold">
              Open incidents <span className="text-sm font-normal text-zinc-500">({data.incidents.length})</span>
            </h2>
            <Link href={`/incidents?service=${encodeURIComponent(name)}`} prefetch={false} className="text-sm underline underline-offset-2">
              Its incident history
            </Link>
          </div>
          <div className="overflow-x-auto">
            <IncidentsTable incidents={data.incidents} now={data.generatedAt} canAct={canAct} />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="cal-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="cal-heading" className="text-lg font-semibold">
            Last 90 days <span className="text-sm font-normal text-zinc-500">(to {data.today}, {data.service.timeZone})</span>
          </h2>
          <StatusLegend />
        </div>
        <p className="text-sm">
          {c.done} done · {c.failed} failed · {c.missing} missing · {c.running + c.pending} running or pending · {c.cancelled} cancelled
        </p>
        <StatusGrid label={`Daily runs of ${name} over the last 90 days`} rowHeader="Week" columns={WEEKDAY_COLUMNS} rows={rows} />
      </section>
      <section aria-labelledby="dur-heading" className="space-y-3">
        <h2 id="dur-heading" className="text-lg font-semibold">
          Duration trend
        </h2>
        <DurationChart points={data.durations} usualSeconds={data.usualSeconds} />
      </section>
      <section aria-labelledby="recent-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="recent-heading" className="text-lg font-semibold">
            Recent runs
          </h2>
          {data.incidents.length === 0 ? (
            <span className="text-sm text-zinc-500">
              No open incident ·{" "}
              <Link href={`/incidents?service=${encodeURIComponent(name)}`} prefetch={false} className="underline underline-offset-2">
                its incident history
              </Link>
            </span>
          ) : null}
        </div>
        <RecentRunsTable runs={data.recent} now={data.generatedAt} />
      </section>
      <section aria-labelledby="config-heading" className="space-y-3">
        <h2 id="config-heading" className="text-lg font-semibold">
          Configuration
        </h2>
        <ServiceConfig service={data.service} nextDaily={data.nextDaily} />
        {canEdit ? (
          <details className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <summary className="cursor-pointer text-sm font-medium">Edit this service</summary>
            <div className="mt-3">
              <ServiceEdit service={data.service} />
            </div>
          </details>
        ) : null}
      </section>
    </div>
  );
}
