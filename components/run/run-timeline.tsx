"use client";

import { type RefObject, useEffect, useRef, useState } from "react";
import { formatParams, formatUtc } from "@/components/format/format";
import { STATUS_FILL, STATUS_LETTER } from "@/components/run/dag-model";
import type { RunData, RunTaskView } from "@/lib/presenters/get-run-data";

// The run's timeline (Gantt): one row per task that reported during the run, its spans PENDING →
// RUNNING → DONE/FAILED from the scheduler's events, between the run's start and end. Fed by the
// same read model as the DAG. Tasks already done before the run started have no row (counted).

/** Drawn at the frame's own width, 1:1, so a phone gets 11 px labels instead of a scaled-down 1,000 px chart. */
const WIDE = 1000;
const ROW_H = 20;
const AXIS_H = 22;
/** Rows rendered until asked for all: the server renders this page, and 2,000 rows cost it ~0.2 s. */
const ROWS_SHOWN = 300;

/** The element's content width once mounted (null while the server renders); follows resizes. */
function useWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function RunTimeline({ data }: { data: RunData }) {
  const [all, setAll] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const measured = useWidth(frame);
  const window = data.tasksWindow;
  if (!window) return <p className="text-sm text-zinc-500">The run has not started: no task has reported yet.</p>;
  const rows = data.tasks.filter((t) => t.spans.length > 0).sort((a, b) => a.spans[0].from.localeCompare(b.spans[0].from) || a.taskId.localeCompare(b.taskId));
  const idle = data.tasks.length - rows.length;
  const shown = all ? rows : rows.slice(0, ROWS_SHOWN);
  if (rows.length === 0) return <p className="text-sm text-zinc-500">No task reported anything while this run ran.</p>;
  // the chart spans the run's window, widened to any event just outside it (clock skew margin)
  const from = Math.min(Date.parse(window.from), ...rows.map((r) => Date.parse(r.spans[0].from)));
  const to = Math.max(Date.parse(window.to), ...rows.map((r) => Date.parse(r.spans.at(-1)!.to)), from + 1000);
  const width = Math.max(320, measured ?? WIDE);
  const labelW = width < 640 ? 130 : 230;
  const chartW = width - labelW - 10;
  const x = (iso: string) => labelW + ((Date.parse(iso) - from) / (to - from)) * chartW;
  // a tick label is ~50 px wide: five on a wide chart, three on a phone's
  const gaps = chartW < 400 ? 2 : 4;
  const ticks = Array.from({ length: gaps + 1 }, (_, i) => new Date(from + ((to - from) * i) / gaps).toISOString());
  // a run of a few seconds would label every tick with the same second: offsets from the first instead
  const tickLabel = (t: string, i: number) => (i === 0 || to - from >= 20_000 ? formatUtc(t, false) : `+${((Date.parse(t) - from) / 1000).toFixed(1)} s`);
  const height = AXIS_H + shown.length * ROW_H;
  return (
    <div className="space-y-2" data-testid="run-timeline">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {rows.length} tasks reported while this run ran{idle > 0 ? ` · ${idle} others were already done (or untouched) before it started, so they have no row` : ""} · times in UTC
      </p>
      <div ref={frame} className="max-h-[32rem] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <svg viewBox={`0 0 ${width} ${height}`} width={measured === null ? "100%" : width} role="list" aria-label="Timeline of the run's tasks">
          {ticks.map((t, i) => (
            <g key={t} aria-hidden="true">
              <line x1={x(t)} x2={x(t)} y1={AXIS_H - 4} y2={height} className="stroke-zinc-200 dark:stroke-zinc-700" />
              <text x={x(t)} y={12} fontSize={10} textAnchor={i === ticks.length - 1 ? "end" : "middle"} fill="#71717a">
                {tickLabel(t, i)}
              </text>
            </g>
          ))}
          {shown.map((task, i) => (
            <TimelineRow key={task.taskId} task={task} y={AXIS_H + i * ROW_H} x={x} labelChars={Math.floor((labelW - 28) / 6.2)} />
          ))}
        </svg>
      </div>
      {shown.length < rows.length ? (
        <button type="button" className="rounded border px-2 py-1 text-sm" onClick={() => setAll(true)}>
          Show all {rows.length.toLocaleString("en")} rows ({(rows.length - shown.length).toLocaleString("en")} more, the latest to start)
        </button>
      ) : null}
    </div>
  );
}

function TimelineRow({ task, y, x, labelChars }: { task: RunTaskView; y: number; x: (iso: string) => number; labelChars: number }) {
  const story = task.spans.map((s) => `${s.status} ${formatUtc(s.from, false)}`).join(" → ");
  const label = `${task.family} ${formatParams(task.params)}: ${story}`;
  return (
    <g role="listitem" aria-label={label} data-task-id={task.taskId}>
      <title>{label}</title>
      <rect x={2} y={y + 3} width={16} height={ROW_H - 6} rx={3} fill={STATUS_FILL[task.status].fill} />
      <text x={10} y={y + ROW_H / 2 + 4} fontSize={10} fontWeight={700} textAnchor="middle" fill={STATUS_FILL[task.status].text} aria-hidden="true">
        {STATUS_LETTER[task.status]}
      </text>
      <text x={24} y={y + ROW_H / 2 + 4} fontSize={11} fill="currentColor" aria-hidden="true">
        {task.family.length > labelChars ? `${task.family.slice(0, labelChars - 1)}…` : task.family}
      </text>
      {task.spans.map((s, i) => {
        const x1 = x(s.from);
        const point = s.from === s.to;
        return point ? (
          <rect key={i} x={x1 - 3} y={y + 3} width={6} height={ROW_H - 6} fill={STATUS_FILL[s.status].fill} aria-hidden="true" />
        ) : (
          <rect key={i} x={x1} y={y + 5} width={Math.max(1.5, x(s.to) - x1)} height={ROW_H - 10} fill={STATUS_FILL[s.status].fill} aria-hidden="true" />
        );
      })}
    </g>
  );
}
