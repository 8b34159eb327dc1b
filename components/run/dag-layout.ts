import ELK, { type ElkNode } from "elkjs/lib/elk-api.js";

// The DAG's layout, off the main thread: elkjs' layered algorithm, left to right. At 2,000 tasks
// it takes seconds on a slow machine (measured ~2 s warm on 2 cores with these options; the
// defaults took ~7 s), which must not freeze the page or cost the server's request time.
//
// The worker is elkjs' own prebuilt script (elk-worker.min.js), referenced as a plain URL asset
// and started by elkjs' API. A worker of ours (`new Worker(new URL("./x.worker.ts", …))`) made
// Turbopack emit both the compiled worker and, unused, its TypeScript source in the public
// static files: it makes an asset of every `new URL(…, import.meta.url)` even inside `new Worker`.

export type LayoutRequest = { nodes: Array<{ id: string; width: number; height: number }>; edges: Array<{ id: string; source: string; target: string }> };
export type LayoutResult = {
  width: number;
  height: number;
  nodes: Record<string, { x: number; y: number }>;
  edges: Array<{ id: string; points: Array<[number, number]> }>;
  error?: string;
};

const OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "POLYLINE",
  "elk.layered.thoroughness": "1",
  "elk.layered.nodePlacement.strategy": "SIMPLE",
  "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
  "elk.spacing.nodeNode": "12",
  "elk.layered.spacing.nodeNodeBetweenLayers": "48",
};

/** A layout engine with its own worker; terminate() stops the worker. Browser only. */
export function createDagLayout(): { layout(request: LayoutRequest): Promise<LayoutResult>; terminate(): void } {
  const elk = new ELK({ workerUrl: new URL("../../node_modules/elkjs/lib/elk-worker.min.js", import.meta.url).href });
  return {
    async layout({ nodes, edges }) {
      try {
        const input: ElkNode = { id: "run", layoutOptions: OPTIONS, children: nodes, edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })) };
        const graph = await elk.layout(input);
        const result: LayoutResult = { width: graph.width ?? 0, height: graph.height ?? 0, nodes: {}, edges: [] };
        for (const n of graph.children ?? []) result.nodes[n.id] = { x: n.x ?? 0, y: n.y ?? 0 };
        for (const e of graph.edges ?? []) {
          const s = e.sections?.[0];
          if (s) result.edges.push({ id: e.id, points: [[s.startPoint.x, s.startPoint.y], ...(s.bendPoints ?? []).map((p): [number, number] => [p.x, p.y]), [s.endPoint.x, s.endPoint.y]] });
        }
        return result;
      } catch (error) {
        return { width: 0, height: 0, nodes: {}, edges: [], error: String(error) };
      }
    },
    terminate: () => elk.terminateWorker(),
  };
}
