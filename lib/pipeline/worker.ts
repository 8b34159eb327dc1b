import { randomInt } from "node:crypto";
import os from "node:os";
import type { TaskResult } from "./execute-task";
import { KeepAlive } from "./keep-alive";
import { pyJsonDumps } from "./python-format";
import type { SchedulerTransport } from "./rpc-client";
import type { Logger } from "./run-log";
import { SchedulerClient, type GetWorkReply } from "./scheduler-client";
import { ForcePolicy, forcedTaskIds, instantiate, retryPolicyDict, SchedulingPass, taskModule, type ForceSpec } from "./scheduling";
import { exitCode, partition, summaryText, type RunOutcome } from "./summary";
import { TaskPool } from "./task-pool";
import { registeredTask, type Task } from "./task";

// A Luigi worker (SPEC §11): announce the graph, register, then loop on get_work, running each
// task it is given in one of its task processes and reporting the result with add_task. It exits
// when the scheduler has nothing more for it and nothing of its graph is running elsewhere.
// On SIGTERM it asks for no more work, lets running tasks finish for a grace period, then kills
// them and reports them FAILED — a task is never left RUNNING in the scheduler, nor one handed out
// while the signal came in started.

export type WorkerOptions = {
  transport: SchedulerTransport;
  /** given to task processes so they make their own calls; null = relay through this process */
  schedulerUrl: string | null;
  module: { name: string; path: string };
  root: Task;
  workers: number;
  force: ForceSpec;
  log: Logger;
  shutdownGraceMs?: number;
  pingIntervalMs?: number;
  /** how long to wait for a ready task's resources before giving up (default 30 minutes) */
  resourceWaitMs?: number;
};

export class Worker {
  readonly id: string;
  private readonly host = os.hostname();
  private readonly client: SchedulerClient;
  private readonly pool: TaskPool;
  private readonly keepAlive: KeepAlive;
  private readonly running = new Map<string, Promise<void>>();
  private readonly outcome: RunOutcome & { doneElsewhere: Set<string> };
  private force = ForcePolicy.none();
  private pass!: SchedulingPass;
  private stopReason: string | null = null;
  private wake: () => void = () => {};
  private graceTimer: NodeJS.Timeout | undefined;
  private blockedSince: number | null = null;

  constructor(private readonly options: WorkerOptions) {
    this.id = `Worker(salt=${randomInt(100_000_000, 9_999_999_999)}, workers=${options.workers}, host=${this.host}, username=${username()}, pid=${process.pid})`;
    this.client = new SchedulerClient(options.transport, this.id);
    const init = {
      modulePath: options.module.path,
      cwd: process.cwd(),
      root: { family: options.root.taskFamily, params: options.root.toStrParams({ includePrivate: true }) },
      schedulerUrl: options.schedulerUrl,
      workerId: this.id,
      force: options.force,
    };
    const relay = options.schedulerUrl ? null : (m: string, a: Record<string, unknown>) => options.transport.call(m, a);
    this.pool = new TaskPool(options.workers, init, options.log, relay);
    this.keepAlive = new KeepAlive(this.client, this.messageHandlers(), options.log, options.pingIntervalMs);
    this.outcome = { scheduled: new Map(), completed: new Set(), everFailed: new Set(), runByOtherWorker: new Set(), rootIds: [options.root.taskId], doneElsewhere: new Set() };
  }

  /** Runs the root task's graph; resolves with Luigi-style exit code. */
  async run(): Promise<number> {
    const { root, log, force } = this.options;
    if (force.all || force.selectors.length > 0) this.force = new ForcePolicy(force, forcedTaskIds([root], force));
    this.pass = new SchedulingPass(this.client, { module: this.options.module.name, log, force: this.force });
    this.outcome.scheduled = this.pass.scheduled;
    log.info(`worker ${this.id} scheduling ${root} (${this.options.workers} process(es))`);
    this.keepAlive.start();
    try {
      await this.pass.add(root);
      await this.client.addWorker([["salt", this.id.match(/salt=(\d+)/)![1]], ["workers", this.options.workers], ["host", this.host], ["username", username()], ["pid", process.pid], ["first_task", root.taskId]]);
      await this.loop();
    } finally {
      clearTimeout(this.graceTimer);
      this.keepAlive.stop();
      await this.pool.close();
    }
    await this.noteDoneElsewhere();
    const outcome = { ...this.outcome, scheduled: this.withDoneElsewhere() };
    for (const line of summaryText(outcome).split("\n")) log.info(line);
    return exitCode(outcome);
  }

  /** SIGTERM / SIGINT: first one drains, a second one (or the grace period running out) kills. */
  requestStop(reason: string, graceMs = this.options.shutdownGraceMs ?? 10_000): void {
    const log = this.options.log;
    if (this.stopReason) {
      log.warn(`${reason} again: failing the running tasks now`);
      this.pool.killRunning(`terminated: the worker received ${reason} twice`);
      return;
    }
    this.stopReason = reason;
    log.warn(`received ${reason}: asking for no more work; ${this.running.size} running task(s) get ${graceMs / 1000} s to finish`);
    this.wake();
    this.graceTimer = setTimeout(() => this.pool.killRunning(`terminated: the worker received ${reason} and the task did not finish within ${graceMs / 1000} s`), graceMs);
  }

  private async loop(): Promise<void> {
    while (!this.stopReason) {
      if (this.running.size >= this.pool.capacity) {
        await this.nextFinished();
        continue;
      }
      const reply = await this.client.getWork(this.host, [...this.running.keys()]);
      this.noteOthers(reply);
      if (reply.worker_state === "disabled") {
        this.options.log.warn("the scheduler disabled this worker: finishing running tasks, taking no new ones");
        break;
      }
      if (reply.task_id && this.stopReason) {
        // handed out while the signal came in: the scheduler has it RUNNING for us, so say it failed unstarted
        this.giveBack(reply.task_id, this.stopReason);
        break;
      }
      if (reply.task_id) {
        this.blockedSince = null;
        this.dispatch(reply);
        continue;
      }
      if (this.running.size > 0) await this.nextFinished();
      else if (reply.running_tasks.some((t) => t.worker !== this.id)) await this.sleep(1000 + Math.random() * 1000);
      else if (this.waitingForResources(reply)) await this.sleep(1000 + Math.random() * 1000);
      else break;
    }
    await Promise.all(this.running.values());
  }

  /**
   * A task of ours whose dependencies are all done, yet the scheduler hands out nothing: it is not
   * granted run permission — its resources are in use by another worker (or reserved for one).
   * Luigi's worker gives up at once (exit 25) unless keep_alive is set; we wait for the resources,
   * up to resourceWaitMs, so two runs that share a resource queue for it instead of one failing.
   * Anything else (a failure, missing data) still ends the run as Luigi's worker would.
   */
  private waitingForResources(reply: GetWorkReply): boolean {
    if (reply.n_pending_tasks === 0) return false;
    const p = partition(this.outcome);
    const finished = (id: string) => p.completed.has(id) || p.alreadyDone.has(id);
    const ready = [...p.notRun].find((id) => (this.outcome.scheduled.get(id)?.deps ?? []).every(finished));
    if (!ready) return false;
    const now = Date.now();
    this.blockedSince ??= now;
    const limit = this.options.resourceWaitMs ?? 30 * 60_000;
    if (now - this.blockedSince > limit) {
      this.options.log.warn(`${ready} was not granted run permission for ${Math.round(limit / 1000)} s: giving up`);
      return false;
    }
    if (now === this.blockedSince) this.options.log.info(`${ready} is ready but not granted run permission (its resources are in use elsewhere): waiting`);
    return true;
  }

  /** A task handed out after SIGTERM/SIGINT is not started: reported FAILED, so the scheduler never keeps it RUNNING. */
  private giveBack(id: string, reason: string): void {
    this.options.log.warn(`not starting ${id}: the worker received ${reason}`);
    const failed = this.report(this.pass.scheduled.get(id)?.task ?? null, id, { status: "FAILED", explanation: `terminated: the worker received ${reason} before the task started`, newDeps: [], ran: false, seconds: 0 });
    this.running.set(id, failed.finally(() => this.running.delete(id)));
  }

  private dispatch(reply: GetWorkReply): void {
    const id = reply.task_id!;
    const known = this.pass.scheduled.get(id)?.task;
    let task: Task;
    try {
      task = known ?? instantiate(registeredTask(reply.task_family ?? ""), reply.task_family ?? "", reply.task_params ?? {});
    } catch (error) {
      this.options.log.error(`cannot run ${id}: ${(error as Error).message}`);
      const failed = this.report(null, id, { status: "FAILED", explanation: (error as Error).message, newDeps: [], ran: false, seconds: 0 });
      this.running.set(id, failed.finally(() => this.running.delete(id)));
      return;
    }
    const forced = this.force.isForced(task, !known);
    const job = this.pool
      .run({ taskId: id, family: task.taskFamily, params: task.toStrParams({ includePrivate: true }), forced, rerun: [...this.force.rerun] })
      .then((result) => this.report(task, id, result));
    this.running.set(
      id,
      job.finally(() => this.running.delete(id)),
    );
  }

  /** Tells the scheduler how the task ended (Luigi's completion add_task, fixtures/dag.jsonl). */
  private async report(task: Task | null, id: string, result: TaskResult): Promise<void> {
    if (result.status === "DONE") {
      // not run because another worker had finished it meanwhile: "already done", not "ran"
      (result.ran ? this.outcome.completed : this.outcome.doneElsewhere).add(id);
      this.force.rerun.add(id);
    }
    if (result.status === "FAILED") this.outcome.everFailed.add(id);
    let newDeps: string[] = [];
    if (result.status === "PENDING" && task) newDeps = await this.scheduleDynamic(result);
    await this.client.addTask({
      owners: task?.owners ?? [],
      retry_policy_dict: task ? retryPolicyDict(task) : null,
      param_visibilities: task?.paramVisibilities() ?? null,
      params: task?.toStrParams() ?? null,
      module: task ? taskModule(task, this.options.module.name) : null,
      family: task?.taskFamily ?? "",
      resources: task?.resources ?? {},
      expl: pyJsonDumps(result.explanation),
      new_deps: newDeps,
      runnable: null,
      status: result.status,
      task_id: id,
    });
    this.options.log.info(`informed scheduler that task ${id} has status ${result.status}`);
  }

  private async scheduleDynamic(result: TaskResult): Promise<string[]> {
    for (const dep of result.newDeps) {
      const task = instantiate(registeredTask(dep.family), dep.family, dep.params);
      await this.pass.add(task, true);
    }
    return result.newDeps.map((d) => d.taskId);
  }

  private nextFinished(): Promise<void> {
    return Promise.race([...this.running.values(), new Promise<void>((r) => (this.wake = r))]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private noteOthers(reply: GetWorkReply): void {
    for (const t of reply.running_tasks ?? []) if (t.worker !== this.id) this.outcome.runByOtherWorker.add(t.task_id);
  }

  /** Pending tasks another worker finished meanwhile count as done, not as "not run". */
  private async noteDoneElsewhere(): Promise<void> {
    for (const [id, s] of this.pass.scheduled) {
      if (s.status !== "PENDING" || s.external || this.outcome.completed.has(id) || this.outcome.everFailed.has(id)) continue;
      try {
        if (!this.force.isForced(s.task) && (await s.task.complete())) this.outcome.doneElsewhere.add(id);
      } catch {
        // a failing complete() was reported at scheduling time; leave it as not run
      }
    }
  }

  private withDoneElsewhere(): RunOutcome["scheduled"] {
    const out = new Map(this.pass.scheduled);
    for (const id of this.outcome.doneElsewhere) out.set(id, { ...out.get(id)!, status: "DONE" });
    return out;
  }

  private messageHandlers() {
    return {
      setWorkerProcesses: async (n: number) => {
        this.pool.resize(Math.max(1, n));
        await this.client.addWorker({ workers: n });
      },
      dispatchSchedulerMessage: (taskId: string, messageId: string, content: string) => {
        if (!this.pool.deliver(taskId, messageId, content)) this.options.log.warn(`message for ${taskId}, which is not running here: ${JSON.stringify(content)}`);
      },
    };
  }
}

function username(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}
