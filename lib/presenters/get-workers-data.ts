import type pg from "pg";
import { selectLatestHostSamples, type HostNow } from "@/lib/db/queries/select-latest-host-samples";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";

// The workers view — Luigi's visualiser's workers and resources tabs, in ours: what each worker
// the scheduler knows runs (worker_list with include_running, SPEC §7.5), what each configured
// resource has in use and who holds it (resource_list, §7.6), whether the scheduler is paused
// (is_paused), with each worker host's newest CPU and memory sample beside it. Three RPCs and one
// query per load, whatever the fleet's history holds.

export type WorkerTask = { taskId: string; displayName: string; startedAt: string | null };
export type WorkerRow = {
  name: string;
  host: string | null;
  pid: number | null;
  username: string | null;
  state: "active" | "disabled";
  /** the Switchyard run the worker belongs to (it called the scheduler through the run's own URL) */
  runId: number | null;
  startedAt: string | null;
  lastActiveAt: string | null;
  processes: number | null;
  numRunning: number;
  numPending: number;
  numUniques: number;
  running: WorkerTask[];
  hostNow: HostNow | null;
};
export type ResourceRow = { name: string; total: number; used: number; consumers: number; holders: Array<WorkerTask & { worker: string | null }> };
export type WorkersData = {
  generatedAt: string;
  reachable: boolean;
  message: string | null;
  paused: boolean | null;
  workers: WorkerRow[];
  resources: ResourceRow[];
  hosts: HostNow[];
};

type RawTask = { display_name?: string; time_running?: number | null; worker_running?: string | null };
type RawWorker = Record<string, unknown> & { running?: Record<string, RawTask> };
type RawResource = { name: string; num_total: number; num_used: number; num_consumer?: number; running?: Record<string, RawTask> };

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
/** Luigi sends times as float seconds since the epoch. */
const epoch = (v: unknown): string | null => {
  const n = num(v);
  return n === null ? null : new Date(n * 1000).toISOString();
};

function tasksOf(running: Record<string, RawTask> | undefined): WorkerTask[] {
  return Object.entries(running ?? {})
    .map(([taskId, t]) => ({ taskId, displayName: t.display_name ?? taskId, startedAt: epoch(t.time_running) }))
    .sort((a, b) => a.taskId.localeCompare(b.taskId));
}

/**
 * The fields of Luigi's worker id, `Worker(salt=…, workers=2, host=etl-1, username=etl, pid=4242)`:
 * a Luigi worker sends the same facts in add_worker's info only once it has scheduled its whole DAG
 * (minutes for a big one), so until then its id is all the scheduler knows of it.
 */
function idFields(name: string): Record<string, string> {
  return Object.fromEntries([...name.matchAll(/[(,]\s*(\w+)=([^,()]+)/g)].map((m) => [m[1], m[2].trim()]));
}

/** A worker's host as the worker reported it (`host` in its info, else in its id), matched to a runner host by name. */
export function toWorkerRow(w: RawWorker, hosts: Map<string, HostNow>): WorkerRow {
  const name = String(w.name);
  const fromId = idFields(name);
  const host = str(w.host) ?? str(fromId.host);
  // `workers` is the process count the worker announced; set_worker_processes changes it.
  return {
    name,
    host,
    pid: num(w.pid) ?? num(fromId.pid),
    username: str(w.username) ?? str(fromId.username),
    state: w.state === "disabled" ? "disabled" : "active",
    runId: num(w.switchyard_run_id),
    startedAt: epoch(w.started),
    lastActiveAt: epoch(w.last_active),
    processes: num(w.workers) ?? num(fromId.workers),
    numRunning: num(w.num_running) ?? 0,
    numPending: num(w.num_pending) ?? 0,
    numUniques: num(w.num_uniques) ?? 0,
    running: tasksOf(w.running),
    hostNow: host ? (hosts.get(host) ?? hosts.get(host.split(".")[0]) ?? null) : null,
  };
}

export async function getWorkersData(pool: pg.Pool, base: string, now = Date.now()): Promise<WorkersData> {
  const hosts = await selectLatestHostSamples(pool);
  const generatedAt = new Date(now).toISOString();
  let rawWorkers: RawWorker[];
  let rawResources: RawResource[];
  let paused: { paused?: boolean } | null;
  try {
    [rawWorkers, rawResources, paused] = (await Promise.all([
      callScheduler(base, "worker_list", { include_running: true }),
      callScheduler(base, "resource_list", {}),
      callScheduler(base, "is_paused", {}),
    ])) as [RawWorker[], RawResource[], { paused?: boolean } | null];
  } catch (error) {
    return { generatedAt, reachable: false, message: (error as Error).message, paused: null, workers: [], resources: [], hosts };
  }
  const byName = new Map(hosts.map((h) => [h.host, h]));
  const workers = (Array.isArray(rawWorkers) ? rawWorkers : []).map((w) => toWorkerRow(w, byName));
  const resources = (Array.isArray(rawResources) ? rawResources : [])
    .map((r) => ({
      name: r.name,
      total: r.num_total,
      used: r.num_used,
      consumers: r.num_consumer ?? 0,
      holders: Object.entries(r.running ?? {}).map(([taskId, t]) => ({
        taskId,
        displayName: t.display_name ?? taskId,
        startedAt: epoch(t.time_running),
        worker: t.worker_running ?? null,
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { generatedAt, reachable: true, message: null, paused: paused?.paused ?? null, workers, resources, hosts };
}
