"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { adjacency, doneSubtrees, neighbourhood, STATUS_FILL, STATUS_LETTER, visibleDag, type DagNode } from "@/components/run/dag-model";
import { createDagLayout, type LayoutResult } from "@/components/run/dag-layout";
import { formatParams } from "@/components/format/format";
import type { RunTaskView } from "@/lib/presenters/get-run-data";

// The run's tasks drawn as a DAG, dependencies left of what needs them (the root task last), laid
// out by elkjs in a Web Worker. Every node prints its status letter on its status colour; hover or
// focus highlights what it needs and what needs it; done subtrees start collapsed (Enter opens
// one); arrow keys move the focus (← a dependency, → a dependent, ↑/↓ the previous/next node).

const NODE_W = 210;
const NODE_H = 40;

export function RunDag({ tasks }: { tasks: RunTaskView[] }) {
  const done = useMemo(() => doneSubtrees(tasks), [tasks]);
  const [opened, setOpened] = useState<Set<string>>(new Set());
  const dag = useMemo(() => visibleDag(tasks, done, opened), [tasks, done, opened]);
  const adj = useMemo(() => adjacency(dag), [dag]);
  const layout = useLayout(dag.nodes, dag.edges);
  const [active, setActive] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const refs = useRef(new Map<string, SVGGElement>());
  const near = useMemo(() => (active ? neighbourhood(adj, active) : null), [adj, active]);
  // visual order for ↑/↓: by layer (x), then top to bottom
  const order = useMemo(() => {
    if (!layout) return dag.nodes.map((n) => n.id);
    return dag.nodes.map((n) => n.id).sort((a, b) => layout.nodes[a].x - layout.nodes[b].x || layout.nodes[a].y - layout.nodes[b].y);
  }, [dag, layout]);

  if (tasks.length === 0) return <p className="text-sm text-zinc-500">No tasks to draw.</p>;
  const toggle = (id: string) =>
    setOpened((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const move = (id: string) => {
    setFocusId(id);
    refs.current.get(id)?.focus();
  };
  const onKey = (event: React.KeyboardEvent, node: DagNode) => {
    const i = order.indexOf(node.id);
    const targets: Record<string, string | undefined> = {
      ArrowLeft: adj.ups.get(node.id)?.[0],
      ArrowRight: adj.downs.get(node.id)?.[0],
      ArrowUp: order[i - 1],
      ArrowDown: order[i + 1],
    };
    if (event.key in targets) {
      event.preventDefault();
      const to = targets[event.key];
      if (to) move(to);
    } else if ((event.key === "Enter" || event.key === " ") && collapsible(node, done)) {
      event.preventDefault();
      toggle(node.id);
    }
  };
  const tabStop = focusId && dag.nodes.some((n) => n.id === focusId) ? focusId : (dag.nodes.find((n) => n.task.isRoot)?.id ?? dag.nodes[0]?.id);
  const hiddenCount = tasks.length - dag.nodes.length;

  return (
    <div className="space-y-2" data-testid="run-dag">
      <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          {dag.nodes.length} of {tasks.length} tasks drawn{hiddenCount > 0 ? ` · ${hiddenCount} inside collapsed done subtrees` : ""}
        </span>
        <button type="button" className="rounded border px-2 py-0.5" onClick={() => setOpened(new Set(done))} disabled={hiddenCount === 0}>
          Open all
        </button>
        <button type="button" className="rounded border px-2 py-0.5" onClick={() => setOpened(new Set())} disabled={opened.size === 0}>
          Collapse done subtrees
        </button>
        <span>Keys: ← needs · → needed by · ↑ ↓ next · Enter opens a collapsed subtree</span>
      </div>
      {!layout ? (
        <p className="text-sm text-zinc-500" role="status">
          Laying out {dag.nodes.length} tasks…
        </p>
      ) : layout.error ? (
        <p className="text-sm text-red-700">The graph could not be laid out: {layout.error}</p>
      ) : (
        <div className="max-h-[36rem] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <svg width={layout.width + 16} height={layout.height + 16} role="group" aria-label={`Task graph of this run: ${dag.nodes.length} tasks drawn`} className="block">
            <g transform="translate(8 8)">
              {layout.edges.map((e) => {
                const [source, target] = e.id.split("->");
                const lit = active !== null && (target === active || source === active || (near!.upstream.has(source) && (near!.upstream.has(target) || target === active)) || (near!.downstream.has(target) && (near!.downstream.has(source) || source === active)));
                return (
                  <polyline
                    key={e.id}
                    points={e.points.map((p) => p.join(",")).join(" ")}
                    fill="none"
                    stroke={lit ? "#2563eb" : "#a1a1aa"}
                    strokeWidth={lit ? 2 : 1}
                    opacity={active && !lit ? 0.25 : 1}
                    markerEnd="url(#dag-arrow)"
                  />
                );
              })}
              <defs>
                <marker id="dag-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto">
                  <path d="M0,0 L8,4 L0,8 z" fill="#71717a" />
                </marker>
              </defs>
              {dag.nodes.map((node) => {
                const pos = layout.nodes[node.id];
                if (!pos) return null;
                const dim = active !== null && node.id !== active && !near!.upstream.has(node.id) && !near!.downstream.has(node.id);
                return (
                  <DagNodeView
                    key={node.id}
                    node={node}
                    x={pos.x}
                    y={pos.y}
                    dim={dim}
                    isActive={node.id === active}
                    tabIndex={node.id === tabStop ? 0 : -1}
                    register={(el) => (el ? refs.current.set(node.id, el) : refs.current.delete(node.id))}
                    onEnter={() => setActive(node.id)}
                    onLeave={() => setActive(null)}
                    onFocus={() => {
                      setFocusId(node.id);
                      setActive(node.id);
                    }}
                    onKey={(ev) => onKey(ev, node)}
                    onClick={() => collapsible(node, done) && toggle(node.id)}
                  />
                );
              })}
            </g>
          </svg>
        </div>
      )}
    </div>
  );
}

const collapsible = (node: DagNode, done: Set<string>) => node.hidden > 0 || (done.has(node.id) && !node.task.isRoot && node.task.deps.length > 0);

type NodeProps = {
  node: DagNode;
  x: number;
  y: number;
  dim: boolean;
  isActive: boolean;
  tabIndex: number;
  register: (el: SVGGElement | null) => void;
  onEnter: () => void;
  onLeave: () => void;
  onFocus: () => void;
  onKey: (event: React.KeyboardEvent) => void;
  onClick: () => void;
};

function DagNodeView({ node, x, y, dim, isActive, tabIndex, register, onEnter, onLeave, onFocus, onKey, onClick }: NodeProps) {
  const t = node.task;
  const colour = STATUS_FILL[t.status];
  const params = formatParams(t.params as Record<string, string>);
  const now = t.currentStatus ? `, now ${t.currentStatus}` : "";
  const label = `${t.family} ${params}: ${t.status}${now}${node.hidden > 0 ? `; collapsed, hides ${node.hidden} done tasks (Enter opens)` : ""}`;
  return (
    <g
      ref={register}
      transform={`translate(${x} ${y})`}
      role="button"
      tabIndex={tabIndex}
      aria-label={label}
      aria-expanded={node.hidden > 0 ? false : undefined}
      data-task-id={t.taskId}
      data-status={t.status}
      opacity={dim ? 0.3 : 1}
      onMouseEnter={onEnter}
      onMouseLeave={onLeave}
      onFocus={onFocus}
      onBlur={onLeave}
      onKeyDown={onKey}
      onClick={onClick}
      className="cursor-default outline-none focus-visible:[&>rect:first-child]:stroke-blue-600"
    >
      <title>{label}</title>
      <rect width={NODE_W} height={NODE_H} rx={6} fill="white" stroke={isActive ? "#2563eb" : t.failure ? "#dc2626" : "#a1a1aa"} strokeWidth={isActive || t.failure ? 2 : 1} strokeDasharray={node.hidden > 0 ? "4 3" : undefined} />
      <rect x={4} y={4} width={24} height={NODE_H - 8} rx={4} fill={colour.fill} />
      <text x={16} y={NODE_H / 2 + 4} textAnchor="middle" fontSize={13} fontWeight={700} fill={colour.text} aria-hidden="true">
        {STATUS_LETTER[t.status]}
      </text>
      <text x={34} y={16} fontSize={12} fontWeight={600} fill="#18181b" aria-hidden="true">
        {clip(t.family, 24)}
        {t.currentStatus ? <tspan fill="#71717a" fontWeight={400}>{` · now ${STATUS_LETTER[t.currentStatus]}`}</tspan> : null}
      </text>
      <text x={34} y={31} fontSize={10} fill="#71717a" aria-hidden="true">
        {node.hidden > 0 ? `+${node.hidden} done (open)` : clip(params, 30)}
      </text>
    </g>
  );
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Lays the visible graph out in the worker; the newest request wins (older answers are dropped). */
function useLayout(nodes: DagNode[], edges: Array<{ id: string; source: string; target: string }>): LayoutResult | null {
  // the answer is kept with the graph it is for: a stale layout is never drawn over a new graph
  const [result, setResult] = useState<{ nodes: DagNode[]; layout: LayoutResult } | null>(null);
  const engine = useRef<ReturnType<typeof createDagLayout> | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const e = createDagLayout();
    engine.current = e;
    return () => {
      engine.current = null;
      e.terminate();
    };
  }, []);
  useEffect(() => {
    const e = engine.current;
    if (!e) return;
    const mine = ++seq.current;
    void e.layout({ nodes: nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })), edges }).then((layout) => {
      if (seq.current === mine) setResult({ nodes, layout });
    });
  }, [nodes, edges]);
  return result && result.nodes === nodes ? result.layout : null;
}
