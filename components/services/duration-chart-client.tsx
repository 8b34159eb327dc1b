"use client";

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/components/format/format";
import type { DurationPoint } from "@/lib/presenters/get-service-data";

// Daily run duration over 90 days, coloured by the period's status, with the usual duration
// (median of the last 14 successful runs) as a reference line. In minutes, or in seconds when
// every run is shorter than two minutes (a 0.05 m axis helps nobody).

const FILL: Record<string, string> = { done: "#059669", failed: "#dc2626", lost: "#dc2626", running: "#0284c7", queued: "#f59e0b", cancelled: "#a1a1aa" };

export default function DurationChart({ points, usualSeconds }: { points: DurationPoint[]; usualSeconds: number | null }) {
  const measured = points.filter((p) => p.seconds !== null);
  const longest = Math.max(0, usualSeconds ?? 0, ...measured.map((p) => p.seconds!));
  const unit = longest < 120 ? { div: 1, short: "s", long: "s" } : { div: 60, short: "m", long: "min" };
  const scale = (seconds: number) => Math.round((seconds / unit.div) * 10) / 10;
  const data = points.map((p) => ({ date: p.date, value: p.seconds === null ? null : scale(p.seconds), status: p.status }));
  return (
    <figure>
      <div className="h-56" role="img" aria-label={`Daily run duration over ${points.length} days; usual ${formatDuration(usualSeconds)}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="currentColor" minTickGap={24} />
            <YAxis unit={unit.short} fontSize={11} stroke="currentColor" />
            <Tooltip formatter={(v) => [`${v} ${unit.long}`, "duration"]} contentStyle={{ fontSize: 12 }} />
            {usualSeconds ? <ReferenceLine y={scale(usualSeconds)} stroke="#71717a" strokeDasharray="4 2" label={{ value: "usual", fontSize: 11, fill: "#71717a", position: "insideTopLeft" }} /> : null}
            <Bar dataKey="value" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.date} fill={FILL[d.status ?? ""] ?? "#a1a1aa"} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-zinc-500">
        {measured.length} of {points.length} days with a finished run · usual {formatDuration(usualSeconds)} (median of the last 14 successful runs) · green done, red failed
      </figcaption>
    </figure>
  );
}
