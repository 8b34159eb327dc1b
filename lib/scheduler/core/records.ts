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

/**
 * Shared, frozen empty list. Id lists on a task are replaced, never mutated in place: an array
 * grown by push() keeps a 17-slot backing store (~150 bytes) for one worker id.
 */
export const NO_IDS: string[] = Object.freeze([]) as unknown as string[];

/**
 * `ids` plus `id` at the end, as a new exactly-sized array; `alone` (the worker's shared `[id]`)
 * when `ids` is empty, so the stakeholders and workers of a worker's tasks share one array.
 */
export function withId(ids: string[], id: string, alone?: string[]): string[] {
  return ids.length === 0 ? (alone ?? [id]) : [...ids, id];
}

const visibilities = new Map<string, Record<string, unknown>>();

/**
 * One shared, frozen object per distinct param_visibilities map: tasks of one family send the
 * same one. Only a cache, dropped whenever it grows large.
 */
export function internVisibilities(v: Record<string, unknown>): Record<string, unknown> {
  if (isEmpty(v)) return EMPTY;
  const key = JSON.stringify(v);
  let found = visibilities.get(key);
  if (found === undefined) {
    if (visibilities.size >= 1000) visibilities.clear();
    visibilities.set(key, (found = Object.freeze({ ...v })));
  }
  return found;
}

const policies = new Map<string, RetryPolicy>();

/** One shared, frozen object per distinct retry policy (nearly every task has the default one). */
export function internPolicy(p: RetryPolicy): RetryPolicy {
  const key = `${p.retryCount},${p.disableHardTimeout},${p.disableWindow}`;
  let found = policies.get(key);
  if (found === undefined) {
    if (policies.size >= 1000) policies.clear();
    policies.set(key, (found = Object.freeze({ retryCount: p.retryCount, disableHardTimeout: p.disableHardTimeout, disableWindow: p.disableWindow })));
  }
  return found;
}

/**
 * Task fields that stay at their default for nearly every task (failures, messages, batches, UI
 * progress): held in one shared frozen object until a task sets one, which saves 11 slots (88
 * bytes) of each Task at 100k tasks.
 */
class TaskExtra {
  retry: number | null = null;
  remove: number | null = null;
  acceptsMessages = false;
  failures: number[] = NO_IDS as unknown as number[];
  firstFailureTime: number | null = null;
  trackingUrl: unknown = null;
  statusMessage: unknown = null;
  progressPercentage: unknown = null;
  messageResponses: Record<string, unknown> | null = null;
  schedulerDisableTime: number | null = null;
  batchId: string | null = null;
}

const NO_EXTRA: TaskExtra = Object.freeze(new TaskExtra());

/**
 * What the tasks of one family sent by one kind of worker have alike: family, module, parameter
 * visibilities, retry policy, runnable and batchable. One shared frozen object per distinct
 * combination instead of six slots in every Task (48 bytes each at 500k tasks).
 */
type TaskKind = { readonly family: string; readonly module: string | null; readonly paramVisibilities: Record<string, unknown>; readonly retryPolicy: RetryPolicy; readonly runnable: boolean; readonly batchable: boolean };

const kinds = new Map<string, TaskKind>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

/** The shared kind of these values. Only a cache, dropped whenever it grows large. */
function kindOf(family: string, module: string | null, paramVisibilities: Record<string, unknown>, retryPolicy: RetryPolicy, runnable: boolean, batchable: boolean): TaskKind {
  // visibilities and policies are interned objects (mostly): their identity is part of the key
  const key = `${objectId(paramVisibilities)},${objectId(retryPolicy)},${runnable ? 1 : 0}${batchable ? 1 : 0},${module === null ? "" : module.length + ":" + module}${family}`;
  let kind = kinds.get(key);
  if (kind === undefined) {
    if (kinds.size >= 10_000) kinds.clear();
    kinds.set(key, (kind = Object.freeze({ family, module, paramVisibilities, retryPolicy, runnable, batchable })));
  }
  return kind;
}

export class Task {
  status: Status;
  /** Dependency ids (a set: unique, order of first mention). */
  deps: string[];
  stakeholders: string[] = NO_IDS;
  /** Ordered set of worker ids able to run the task; the last one is the most recently added. */
  workers: string[] = NO_IDS;
  workerRunning: string | null = null;
  readonly time: number;
  updated: number;
  timeRunning: number | null = null;
  expl: string | null = null;
  priority: number;
  resources: Resources;
  resourcesRunning: Resources | null = null;
  params: Params;
  /** Number of deps that are missing or not DONE; the task is ready when PENDING and this is 0. */
  blocked = 0;
  /** Tasks listing this one in deps: one bare, or a Set for more (kept by SchedulerState). */
  dependents: Task | Set<Task> | null = null;
  /** Row id in Luigi's history table `tasks`, kept across restarts so re-runs append events. */
  historyId: number | null = null;
  /** Fields most tasks never set, shared until one is (see TaskExtra). */
  private extra: TaskExtra = NO_EXTRA;
  private kind: TaskKind;

  constructor(
    readonly id: string,
    /** Creation order: breaks ties between tasks added in the same instant. */
    readonly seq: number,
    init: { status: Status; deps: string[]; time: number; priority: number; resources: Resources; family: string; module: string | null; params: Params; paramVisibilities: Record<string, unknown>; retryPolicy: RetryPolicy; runnable?: boolean; batchable?: boolean },
  ) {
    this.status = init.status;
    this.deps = init.deps;
    this.time = init.time;
    this.updated = init.time;
    this.priority = init.priority;
    this.resources = init.resources;
    this.params = init.params;
    this.kind = kindOf(init.family, init.module, init.paramVisibilities, init.retryPolicy, init.runnable ?? false, init.batchable ?? false);
  }

  // Family, module, visibilities, retry policy and the two flags, shared by the tasks that have
  // them alike (see TaskKind); a write looks up the kind with the new value.
  get family(): string { return this.kind.family; }
  set family(v: string) { if (v !== this.kind.family) this.kind = kindOf(v, this.module, this.paramVisibilities, this.retryPolicy, this.runnable, this.batchable); }
  get module(): string | null { return this.kind.module; }
  set module(v: string | null) { if (v !== this.kind.module) this.kind = kindOf(this.family, v, this.paramVisibilities, this.retryPolicy, this.runnable, this.batchable); }
  get paramVisibilities(): Record<string, unknown> { return this.kind.paramVisibilities; }
  set paramVisibilities(v: Record<string, unknown>) { if (v !== this.kind.paramVisibilities) this.kind = kindOf(this.family, this.module, v, this.retryPolicy, this.runnable, this.batchable); }
  get retryPolicy(): RetryPolicy { return this.kind.retryPolicy; }
  set retryPolicy(v: RetryPolicy) { if (v !== this.kind.retryPolicy) this.kind = kindOf(this.family, this.module, this.paramVisibilities, v, this.runnable, this.batchable); }
  get runnable(): boolean { return this.kind.runnable; }
  set runnable(v: boolean) { if (v !== this.kind.runnable) this.kind = kindOf(this.family, this.module, this.paramVisibilities, this.retryPolicy, v, this.batchable); }
  get batchable(): boolean { return this.kind.batchable; }
  set batchable(v: boolean) { if (v !== this.kind.batchable) this.kind = kindOf(this.family, this.module, this.paramVisibilities, this.retryPolicy, this.runnable, v); }

  // Accessors of the rarely set fields: reading is a field load; writing a default value to a
  // task that has none set allocates nothing.
  private own(): TaskExtra {
    if (this.extra === NO_EXTRA) this.extra = new TaskExtra();
    return this.extra;
  }
  get retry(): number | null { return this.extra.retry; }
  set retry(v: number | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().retry = v; }
  get remove(): number | null { return this.extra.remove; }
  set remove(v: number | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().remove = v; }
  get acceptsMessages(): boolean { return this.extra.acceptsMessages; }
  set acceptsMessages(v: boolean) { if (v || this.extra !== NO_EXTRA) this.own().acceptsMessages = v; }
  /** Failure timestamps inside the sliding window (oldest first); replaced, never mutated. */
  get failures(): number[] { return this.extra.failures; }
  set failures(v: number[]) { if (v.length > 0 || this.extra !== NO_EXTRA) this.own().failures = v; }
  get firstFailureTime(): number | null { return this.extra.firstFailureTime; }
  set firstFailureTime(v: number | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().firstFailureTime = v; }
  get trackingUrl(): unknown { return this.extra.trackingUrl; }
  set trackingUrl(v: unknown) { if (v !== null || this.extra !== NO_EXTRA) this.own().trackingUrl = v; }
  get statusMessage(): unknown { return this.extra.statusMessage; }
  set statusMessage(v: unknown) { if (v !== null || this.extra !== NO_EXTRA) this.own().statusMessage = v; }
  get progressPercentage(): unknown { return this.extra.progressPercentage; }
  set progressPercentage(v: unknown) { if (v !== null || this.extra !== NO_EXTRA) this.own().progressPercentage = v; }
  get messageResponses(): Record<string, unknown> | null { return this.extra.messageResponses; }
  set messageResponses(v: Record<string, unknown> | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().messageResponses = v; }
  get schedulerDisableTime(): number | null { return this.extra.schedulerDisableTime; }
  set schedulerDisableTime(v: number | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().schedulerDisableTime = v; }
  get batchId(): string | null { return this.extra.batchId; }
  set batchId(v: string | null) { if (v !== null || this.extra !== NO_EXTRA) this.own().batchId = v; }
}

export type RpcMessage = { name: string; kwargs: Record<string, unknown> };

export class Worker {
  reference: Record<string, unknown> | null = null;
  lastGetWork: number | null = null;
  info: Record<string, unknown> = {};
  disabled = false;
  rpcMessages: RpcMessage[] = [];
  /** The Switchyard run that launched this worker (it calls through /runs/<id>/api/), else null. */
  run: number | null = null;
  /**
   * The tasks that may list this worker among their stakeholders or workers (kept by
   * SchedulerState; a task leaves when it is deleted), so that dropping or disabling the worker
   * visits those, not every task.
   */
  readonly tasks = new Set<Task>();
  /** Ready tasks (PENDING, deps all DONE) this worker may run, best first. Created lazily. */
  ready: SortedList<Task> | null = null;
  // Incremental counters for count_pending and the trivial-worker test, kept by TaskIndex.
  nPending = 0;
  nUnique = 0;
  nLast = 0;
  nPendingWithResources = 0;

  /** `[id]`, frozen: the id list of every task that only this worker runs or wants (see withId). */
  readonly alone: string[];

  constructor(
    readonly id: string,
    public lastActive: number,
    public started: number,
    /** Creation order, kept across restarts: worker_list breaks ties of `started` with it. */
    readonly seq = 0,
  ) {
    this.alone = Object.freeze([id]) as unknown as string[];
  }

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
