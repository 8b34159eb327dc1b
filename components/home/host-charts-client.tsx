"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/components/format/format";
import { hostsQuery } from "@/components/live/query-options";
import type { HostSeries } from "@/lib/db/queries/select-host-series";

// Worker hosts' CPU and memory, last hour (1-minute averages) or last day (10-minute averages),
// fetched by the browser once a minute. Loaded on demand (next/dynamic) so neither the chart
// library nor the samples delay the grid above it. The latest values are also printed as text:
// a chart alone says nothing to a screen reader.

const COLORS = ["#0284c7", "#db2777", "#16a34a", "#d97706", "#7c3aed", "#dc2626", "#0d9488", "#4b5563"];

type Metric = "cpuPercent" | "memoryPercent";

function merge(hosts: HostSeries[], metric: Metric): Array<Record<string, number | string>> {
  const byTime = new Map<string, Record<string, number | string>>();
  for (const h of hosts) {
    for (const p of h.points) {
      let row = byTime.get(p.at);
      if (!row) byTime.set(p.at, (row = { at: p.at }));
      row[h.host] = p[metric];
    }
  }
  return [...byTime.values()].sort((a, b) => (a.at < b.at ? -1 : 1));
}

const tick = (iso: string) => iso.slice(11, 16);

function Chart({ title, hosts, metric }: { title: string; hosts: HostSeries[]; metric: Metric }) {
  const data = useMemo(() => merge(hosts, metric), [hosts, metric]);
  return (
    <figure className="min-w-0 flex-1">
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div className="h-52" role="img" aria-label={`${title} per host, line chart`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="at" tickFormatter={tick} fontSize={11} stroke="currentColor" minTickGap={24} />
            <YAxis domain={[0, 100]} unit="%" fontSize={11} stroke="currentColor" />
            <Tooltip labelFormatter={(v) => `${tick(String(v))} UTC`} formatter={(v) => `${v}%`} contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {hosts.map((h, i) => (
              <Line key={h.host} type="monotone" dataKey={h.host} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} strokeWidth={1.5} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export default function HostCharts() {
  const [range, setRange] = useState<"lastHour" | "lastDay">("lastHour");
  const { data, error } = useQuery(hostsQuery());
  const series = data?.[range] ?? [];
  return (
    <section aria-labelledby="hosts-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="hosts-heading" className="text-lg font-semibold">
          Worker hosts
        </h2>
        <div role="group" aria-label="Time range" className="flex overflow-hidden rounded border border-zinc-300 text-sm dark:border-zinc-700">
          {(["lastHour", "lastDay"] as const).map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)} className={`px-2 py-0.5 ${range === r ? "bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900" : ""}`}>
              {r === "lastHour" ? "Last hour" : "Last day"}
            </button>
          ))}
        </div>
      </div>
      {error ? <p className="text-sm text-red-700 dark:text-red-400">Cannot load host samples: {(error as Error).message}</p> : null}
      {!data && !error ? <p className="text-sm text-zinc-500">Loading host samples…</p> : null}
      {data && series.length === 0 ? (
        <p className="text-sm text-zinc-500">No host has reported samples in this range.</p>
      ) : null}
      {series.length > 0 ? (
        <>
          <div className="flex flex-col gap-6 md:flex-row">
            <Chart title="CPU" hosts={series} metric="cpuPercent" />
            <Chart title="Memory" hosts={series} metric="memoryPercent" />
          </div>
          <ul className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
            {series.map((h) => {
              const last = h.points[h.points.length - 1];
              return (
                <li key={h.host}>
                  <span className="font-medium">{h.host}</span>
                  {` (${h.cpuCount} CPUs, ${formatBytes(h.memoryTotalBytes)}): CPU ${last?.cpuPercent ?? "—"}%, memory ${last?.memoryPercent ?? "—"}%, ${last?.runningRuns ?? 0} run${last?.runningRuns === 1 ? "" : "s"}`}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}
