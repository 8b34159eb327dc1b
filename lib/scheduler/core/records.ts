import type { Status } from "@/lib/scheduler/core/transitions";
import type { SortedList } from "@/lib/scheduler/core/sorted-list";

// The scheduler's in-memory records (SPEC §3.1, §3.2). Kept deliberately flat: at 100k tasks the
// budget is ~2 KiB each, so empty maps are shared constants, sets of worker ids are small arrays
// of interned strings, and everything optional starts as null.

export type RetryPolicy = { retryCount: number; disableHardTimeout: number; disableWindow: number };
export type Resources = Record<string, number>;
export type Params = Record<string, unknown>;

/** Shared, frozen empty map: most tasks declare no resources, visibilities or responses. */
export const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

export class Task {
  status: Status;
  /** Dependency ids (a set: unique, order of first mention). */
  deps: string[];
  stakeholders: string[] = [];
  /** Ordered set of worker ids able to run the task; the last one is the most recently added. */
  workers: string[] = [];
  workerRunning: string | null = null;
  readonly time: number;
  updated: number;
  timeRunning: number | null = null;
  retry: number | null = null;
  remove: number | null = null;
  expl: string | null = null;
  priority: number;
  resources: Resources;
  resourcesRunning: Resources | null = null;
  family: string;
  module: string | null;
  params: Params;
  paramVisibilities: Record<string, unknown>;
  acceptsMessages = false;
  retryPolicy: RetryPolicy;
  /** Failure timestamps inside the sliding window (oldest first). */
  failures: number[] = [];
  firstFailureTime: number | null = null;
  trackingUrl: unknown = null;
  statusMessage: unknown = null;
  progressPercentage: unknown = null;
  messageResponses: Record<string, unknown> | null = null;
  schedulerDisableTime: number | null = null;
  runnable = false;
  batchable = false;
  batchId: string | null = null;
  /** Number of deps that are missing or not DONE; the task is ready when PENDING and this is 0. */
  blocked = 0;
  /** Row id in Luigi's history table `tasks`, kept across restarts so re-runs append events. */
  historyId: number | null = null;

  constructor(
    readonly id: string,
    /** Creation order: breaks ties between tasks added in the same instant. */
    readonly seq: number,
    init: { status: Status; deps: string[]; time: number; priority: number; resources: Resources; family: string; module: string | null; params: Params; paramVisibilities: Record<string, unknown>; retryPolicy: RetryPolicy },
  ) {
    this.status = init.status;
    this.deps = init.deps;
    this.time = init.time;
    this.updated = init.time;
    this.priority = init.priority;
    this.resources = init.resources;
    this.family = init.family;
    this.module = init.module;
    this.params = init.params;
    this.paramVisibilities = init.paramVisibilities;
    this.retryPolicy = init.retryPolicy;
  }
}

export type RpcMessage = { name: string; kwargs: Record<string, unknown> };

export class Worker {
  reference: Record<string, unknown> | null = null;
  lastGetWork: number | null = null;
  info: Record<string, unknown> = {};
  disabled = false;
  rpcMessages: RpcMessage[] = [];
  /** Tasks listing this worker in `workers` (luigid's worker.tasks). */
  readonly tasks = new Set<Task>();
  /** Ready tasks (PENDING, deps all DONE) this worker may run, best first. Created lazily. */
  ready: SortedList<Task> | null = null;
  // Incremental counters for count_pending and the trivial-worker test, kept by TaskIndex.
  nPending = 0;
  nUnique = 0;
  nLast = 0;
  nPendingWithResources = 0;

  constructor(
    readonly id: string,
    public lastActive: number,
    public started: number,
    /** Creation order, kept across restarts: worker_list breaks ties of `started` with it. */
    readonly seq = 0,
  ) {}

  get assistant(): boolean {
    return Boolean(this.info.assistant);
  }
}

/** Rank order of get_work: priority descending, then first-added time, then creation order. */
export function compareRank(a: Task, b: Task): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.time !== b.time) return a.time - b.time;
  return a.seq - b.seq;
}

export function isEmpty(map: object | null | undefined): boolean {
  if (!map) return true;
  for (const _ in map) return false;
  return true;
}
