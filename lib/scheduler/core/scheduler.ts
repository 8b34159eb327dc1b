import { addTask, type AddTaskArgs } from "@/lib/scheduler/core/add-task";
import { countPending } from "@/lib/scheduler/core/count-pending";
import { DEFAULT_CORE_CONFIG, type CoreConfig, type Ctx } from "@/lib/scheduler/core/context";
import { getWork, type Batcher, type GetWorkArgs } from "@/lib/scheduler/core/get-work";
import { depGraph, inverseDepGraph, wholeGraph } from "@/lib/scheduler/core/graphs";
import * as op from "@/lib/scheduler/core/operator";
import { prune } from "@/lib/scheduler/core/prune";
import { releaseRunWorkers, tagRun, type Released } from "@/lib/scheduler/core/run-workers";
import { truthy } from "@/lib/scheduler/core/python";
import { fetchError, resourceList, taskList, taskSearch, workerList, type TaskListArgs } from "@/lib/scheduler/core/queries";
import { SchedulerState } from "@/lib/scheduler/core/state";

// The Luigi-compatible scheduler as pure logic: no I/O, an injectable clock (epoch seconds).
// Each public method is one RPC of SPEC §2 with arguments already validated (rpc-methods.ts);
// every mutation lands in state.changes for the persistence layer.

export class Scheduler {
  readonly state = new SchedulerState();
  readonly config: CoreConfig;
  paused = false;
  /** worker id -> task family -> batcher (add_task_batcher). */
  readonly batchers = new Map<string, Map<string, Batcher>>();
  /** Capacities changed at run time (update_resource/s), kept across restarts over [resources]. */
  readonly resourceOverrides: Record<string, number> = {};

  constructor(config: Partial<CoreConfig> = {}, readonly now: () => number = () => Date.now() / 1000) {
    // resources is this scheduler's own mutable copy: update_resource(s) change it at run time
    this.config = { ...DEFAULT_CORE_CONFIG, ...config, resources: { ...(config.resources ?? {}) } };
  }

  ctx(): Ctx {
    return { state: this.state, config: this.config, now: this.now() };
  }

  private batcherOf = (worker: string, family: string) => this.batchers.get(worker)?.get(family);

  /**
   * False while the scheduler cannot make changes durable (its database away; set by
   * SchedulerService): a read then answers from memory without the prune luigid runs first, which
   * would drop workers for a silence the outage imposed on them (their pings are refused meanwhile)
   * and fail the tasks they are running.
   */
  canPrune: () => boolean = () => true;

  prune(): null {
    prune(this.ctx());
    return null;
  }

  private readPrune(ctx: Ctx): void {
    if (this.canPrune()) prune(ctx);
  }

  add_task(a: AddTaskArgs): null {
    addTask(this.ctx(), a);
    return null;
  }

  add_task_batcher(a: { worker: string; task_family: string; batched_args: string[]; max_batch_size: number }): null {
    let families = this.batchers.get(a.worker);
    if (!families) this.batchers.set(a.worker, (families = new Map()));
    families.set(a.task_family, { args: a.batched_args, maxBatchSize: a.max_batch_size });
    this.state.changes.meta = true;
    return null;
  }

  add_worker(a: { worker: string; info: Record<string, unknown> }): null {
    const ctx = this.ctx();
    const worker = ctx.state.getWorker(a.worker, ctx.now);
    Object.assign(worker.info, a.info);
    ctx.state.touchWorker(worker);
    return null;
  }

  get_work(a: GetWorkArgs): Record<string, unknown> {
    const ctx = this.ctx();
    if (this.config.pruneOnGetWork) prune(ctx);
    return getWork(ctx, a, this.paused, this.batcherOf);
  }

  count_pending(a: { worker: string }): Record<string, unknown> {
    return countPending(this.ctx(), a.worker);
  }

  ping(a: { worker: string }): Record<string, unknown> {
    const ctx = this.ctx();
    const worker = ctx.state.getWorker(a.worker, ctx.now);
    worker.lastActive = ctx.now;
    const messages = worker.rpcMessages;
    worker.rpcMessages = [];
    ctx.state.touchWorker(worker);
    return { rpc_messages: messages };
  }

  /** Only meaningful with batch_emails, which this scheduler does not send. */
  announce_scheduling_failure(): null {
    return null;
  }

  set_task_status_message(a: { task_id: string; status_message: unknown }): null {
    op.setOnTaskAndBatch(this.ctx(), a.task_id, (t) => (t.statusMessage = a.status_message));
    return null;
  }

  set_task_progress_percentage(a: { task_id: string; progress_percentage: unknown }): null {
    op.setOnTaskAndBatch(this.ctx(), a.task_id, (t) => (t.progressPercentage = a.progress_percentage));
    return null;
  }

  decrease_running_task_resources(a: { task_id: string; decrease_resources: Record<string, number> }): null {
    op.decreaseRunningTaskResources(this.ctx(), a.task_id, a.decrease_resources);
    return null;
  }

  add_scheduler_message_response(a: { task_id: string; message_id: string; response: unknown }): null {
    op.addSchedulerMessageResponse(this.ctx(), a.task_id, a.message_id, a.response);
    return null;
  }

  report_task_statistics(): null {
    return null;
  }

  update_metrics_task_started(): null {
    return null;
  }

  /** Not Luigi's: the runner's word that run `run_id` has ended (run-workers.ts). */
  release_run_workers(a: { run_id: number }): Released {
    return releaseRunWorkers(this.ctx(), a.run_id);
  }

  /** A call that came through /runs/<run>/api/: its worker is that run's (run-workers.ts). */
  tagRun(workerId: unknown, run: number): void {
    tagRun(this.ctx(), workerId, run);
  }

  task_list(a: TaskListArgs) {
    const ctx = this.ctx();
    return taskList(ctx, a, () => this.readPrune(ctx));
  }

  worker_list(a: { include_running: unknown }) {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return workerList(ctx, a.include_running);
  }

  resource_list() {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return resourceList(ctx);
  }

  dep_graph(a: { task_id: string; include_done: unknown }) {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return depGraph(ctx, a.task_id, truthy(a.include_done));
  }

  inverse_dep_graph(a: { task_id: string; include_done: unknown }) {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return inverseDepGraph(ctx, a.task_id, truthy(a.include_done));
  }

  graph() {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return wholeGraph(ctx);
  }

  task_search(a: { task_str: string }) {
    const ctx = this.ctx();
    this.readPrune(ctx);
    return taskSearch(ctx, a.task_str);
  }

  fetch_error(a: { task_id: string }) {
    return fetchError(this.ctx(), a.task_id);
  }

  get_task_status_message(a: { task_id: string }) {
    const task = this.state.tasks.get(a.task_id);
    return { taskId: a.task_id, statusMessage: task ? task.statusMessage : "" };
  }

  get_task_progress_percentage(a: { task_id: string }) {
    const task = this.state.tasks.get(a.task_id);
    return { taskId: a.task_id, progressPercentage: task ? task.progressPercentage : null };
  }

  get_running_task_resources(a: { task_id: string }) {
    const task = this.state.tasks.get(a.task_id);
    return { taskId: a.task_id, resources: task ? task.resourcesRunning : null };
  }

  get_scheduler_message_response(a: { task_id: string; message_id: string }) {
    return op.getSchedulerMessageResponse(this.ctx(), a.task_id, a.message_id);
  }

  has_task_history(): boolean {
    return this.config.recordTaskHistory;
  }

  is_pause_enabled() {
    return { enabled: this.config.pauseEnabled };
  }

  is_paused() {
    return { paused: this.paused };
  }

  pause(): null {
    if (this.config.pauseEnabled && !this.paused) {
      this.paused = true;
      this.state.changes.meta = true;
    }
    return null;
  }

  unpause(): null {
    if (this.config.pauseEnabled && this.paused) {
      this.paused = false;
      this.state.changes.meta = true;
    }
    return null;
  }

  forgive_failures(a: { task_id: string | null }) {
    return op.forgiveFailures(this.ctx(), a.task_id);
  }

  mark_as_done(a: { task_id: string | null }) {
    return op.markAsDone(this.ctx(), a.task_id);
  }

  re_enable_task(a: { task_id: string }) {
    return op.reEnableTask(this.ctx(), a.task_id);
  }

  disable_worker(a: { worker: string }): null {
    op.disableWorker(this.ctx(), a.worker);
    return null;
  }

  set_worker_processes(a: { worker: string; n: unknown }): null {
    op.setWorkerProcesses(this.ctx(), a.worker, a.n);
    return null;
  }

  send_scheduler_message(a: { worker: string; task: unknown; content: unknown }) {
    return op.sendSchedulerMessage(this.ctx(), a.worker, a.task, a.content);
  }

  update_resource(a: { resource: string; amount: unknown }): boolean {
    const amount = a.amount === true ? 1 : a.amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 0) return false;
    this.config.resources[a.resource] = amount;
    this.resourceOverrides[a.resource] = amount;
    this.state.changes.meta = true;
    return true;
  }

  update_resources(a: Record<string, number>): null {
    Object.assign(this.config.resources, a);
    Object.assign(this.resourceOverrides, a);
    this.state.changes.meta = true;
    return null;
  }
}
