"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatUtc } from "@/components/format/format";
import type { TrendsData } from "@/lib/presenters/get-trends-data";

// The Trends page's three charts (recharts, loaded in the browser only): runs finished per hour
// stacked by status, the run queue's depth and the running runs, and each concurrency group's
// median daily duration.

const STATUS_FILL = { done: "#059669", failed: "#dc2626", lost: "#9f1239", cancelled: "#a1a1aa" } as const;
const LINE_COLOURS = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#ea580c"];
// "12-04 21:00": formatUtc gives "MM-DD HH:MM:SS"
const hourTick = (iso: string) => formatUtc(iso).slice(0, 11);

/** Ticks on whole UTC hours, evenly spaced: every 2 hours over a day, every midnight over a week (minTickGap alone picks uneven ones). */
function wholeHourTicks(points: Array<{ at: string }>): string[] {
  const every = points.length > 0 && Date.parse(points[points.length - 1].at) - Date.parse(points[0].at) > 2 * 86_400_000 ? 24 : 2;
  return points.map((p) => p.at).filter((at) => {
    const d = new Date(at);
    return d.getUTCMinutes() === 0 && d.getUTCHours() % every === 0;
  });
}

function Frame({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <div className="h-60" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export function FinishedRunsChart({ data }: { data: TrendsData }) {
  const t = data.totals;
  return (
    <Frame label={`Runs finished per hour: ${t.done} done, ${t.failed} failed, ${t.lost} lost, ${t.cancelled} cancelled`}>
      <BarChart data={data.finished} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis dataKey="at" ticks={wholeHourTicks(data.finished)} tickFormatter={hourTick} fontSize={11} stroke="currentColor" minTickGap={32} />
        <YAxis allowDecimals={false} fontSize={11} stroke="currentColor" />
        <Tooltip labelFormatter={(v) => `${formatUtc(String(v))} UTC`} contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {(Object.keys(STATUS_FILL) as Array<keyof typeof STATUS_FILL>).map((k) => (
          <Bar key={k} dataKey={k} stackId="s" fill={STATUS_FILL[k]} isAnimationActive={false} />
        ))}
      </BarChart>
    </Frame>
  );
}

export function QueueDepthChart({ data }: { data: TrendsData }) {
  const peak = Math.max(0, ...data.queue.map((q) => q.depth));
  return (
    <Frame label={`Run queue depth over time, peak ${peak}`}>
      <LineChart data={data.queue} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis dataKey="at" ticks={wholeHourTicks(data.queue)} tickFormatter={hourTick} fontSize={11} stroke="currentColor" minTickGap={32} />
        <YAxis allowDecimals={false} fontSize={11} stroke="currentColor" />
        <Tooltip labelFormatter={(v) => `${formatUtc(String(v))} UTC`} contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line type="stepAfter" dataKey="depth" name="queued (peak)" stroke="#d97706" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="running" name="running (peak)" stroke="#0284c7" dot={false} isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}

export function GroupDurationChart({ data }: { data: TrendsData }) {
  const { groups, points } = data.groupDurations;
  const longest = Math.max(0, ...points.flatMap((p) => groups.map((g) => Number(p[g] ?? 0))));
  const unit = longest < 120 ? { div: 1, short: "s" } : { div: 60, short: "m" };
  const scaled = points.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === "number" ? Math.round((v / unit.div) * 10) / 10 : v])));
  return (
    <Frame label={`Median duration of done daily runs per concurrency group over ${points.length} days`}>
      <LineChart data={scaled} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="currentColor" minTickGap={24} />
        <YAxis unit={unit.short} fontSize={11} stroke="currentColor" />
        <Tooltip contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {groups.map((g, i) => (
          <Line key={g} type="monotone" dataKey={g} stroke={LINE_COLOURS[i % LINE_COLOURS.length]} dot={false} connectNulls isAnimationActive={false} />
        ))}
      </LineChart>
    </Frame>
  );
}
