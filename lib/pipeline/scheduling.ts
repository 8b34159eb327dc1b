import type { Logger } from "./run-log";
import type { RetryPolicyDict, SchedulerClient, TaskStatus } from "./scheduler-client";
import { familyOf, type Task, type TaskClass } from "./task";

// The worker's scheduling pass (SPEC §11.2): walk the graph from the root and announce every task
// with add_task — DONE if complete (its dependencies are then not visited), PENDING with its
// dependency ids if not, PENDING and not runnable for external data that is missing, UNKNOWN after
// announce_scheduling_failure if complete() or requires() throws. Order is Luigi's: a stack, so
// the last dependency of a task is announced first (fixtures/dag.jsonl).

export type ForceSpec = { all: boolean; selectors: string[] };

export type Scheduled = { task: Task; status: TaskStatus; external: boolean; deps: string[] };

export function matchesSelector(task: Task, selectors: string[]): boolean {
  return selectors.includes(task.taskFamily) || selectors.includes(task.taskId);
}

/** Every task reachable through requires(), complete or not, with its dependency ids. */
export function walkGraph(roots: Task[]): Map<string, { task: Task; deps: string[] }> {
  const graph = new Map<string, { task: Task; deps: string[] }>();
  const stack = [...roots];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (graph.has(task.taskId)) continue;
    let deps: Task[] = [];
    try {
      deps = task.deps();
    } catch {
      // reported properly by the scheduling pass; here it just ends this branch
    }
    graph.set(task.taskId, { task, deps: deps.map((d) => d.taskId) });
    stack.push(...deps);
  }
  return graph;
}

/**
 * The tasks a forced run re-runs even when complete: with --force the roots and everything under
 * them; with --force-task the selected tasks and every task that depends on them, up to the root.
 */
export function forcedTaskIds(roots: Task[], spec: ForceSpec): Set<string> {
  const graph = walkGraph(roots);
  if (spec.all) return new Set(graph.keys());
  const dependents = new Map<string, string[]>();
  for (const [id, node] of graph) for (const dep of node.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), id]);
  const forced = new Set<string>();
  const stack = [...graph.values()].filter((n) => matchesSelector(n.task, spec.selectors)).map((n) => n.task.taskId);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (forced.has(id)) continue;
    forced.add(id);
    stack.push(...(dependents.get(id) ?? []));
  }
  return forced;
}

/** Which tasks count as incomplete because of --force / --force-task, until they re-ran once. */
export class ForcePolicy {
  /** forced tasks that completed in this run: no longer forced (else a dynamic dependency would loop) */
  readonly rerun = new Set<string>();

  constructor(
    readonly spec: ForceSpec,
    private readonly staticForced: Set<string>,
  ) {}

  static none(): ForcePolicy {
    return new ForcePolicy({ all: false, selectors: [] }, new Set());
  }

  isForced(task: Task, dynamic = false): boolean {
    if (this.rerun.has(task.taskId)) return false;
    if (this.staticForced.has(task.taskId)) return true;
    return dynamic && (this.spec.all || matchesSelector(task, this.spec.selectors));
  }
}

export function retryPolicyDict(task: Task): RetryPolicyDict {
  return { retry_count: task.retryCount ?? null, disable_hard_timeout: task.disableHardTimeout ?? null, disable_window: task.disableWindow ?? null };
}

export function taskModule(task: Task, fallback: string | null): string | null {
  const cls = task.constructor as TaskClass;
  return Object.hasOwn(cls, "module") && cls.module ? cls.module : fallback;
}

export const isExternal = (task: Task): boolean => typeof task.run !== "function";

export class SchedulingPass {
  readonly scheduled = new Map<string, Scheduled>();

  constructor(
    private readonly client: SchedulerClient,
    private readonly options: { module: string | null; log: Logger; force: ForcePolicy },
  ) {}

  /** Announces `root` and, depth first, every task it needs that is not complete. */
  async add(root: Task, dynamic = false): Promise<void> {
    const seen = new Set<string>([root.taskId]);
    const stack: Task[] = [root];
    while (stack.length > 0) {
      const task = stack.pop()!;
      for (const dep of await this.addOne(task, dynamic)) {
        if (seen.has(dep.taskId) || this.scheduled.has(dep.taskId)) continue;
        seen.add(dep.taskId);
        stack.push(dep);
      }
    }
  }

  private async addOne(task: Task, dynamic: boolean): Promise<Task[]> {
    const forced = this.options.force.isForced(task, dynamic);
    let complete: boolean;
    try {
      complete = forced ? false : await task.complete();
    } catch (error) {
      await this.schedulingFailure(task, error as Error, "complete()");
      return [];
    }
    if (complete) {
      await this.announce(task, "DONE", null, false);
      return [];
    }
    if (isExternal(task)) {
      this.options.log.warn(`Data for ${task} does not exist (yet?). The task is an external data dependency, so it cannot be run from this process.`);
      await this.announce(task, "PENDING", null, false, true);
      return [];
    }
    let deps: Task[];
    try {
      deps = task.deps();
    } catch (error) {
      await this.schedulingFailure(task, error as Error, "requires()");
      return [];
    }
    if (forced) this.options.log.info(`${task} is forced: it will run even if its outputs exist`);
    await this.announce(task, task.disabled ? "DISABLED" : "PENDING", deps.map((d) => d.taskId), true);
    return deps;
  }

  private async schedulingFailure(task: Task, error: Error, where: string): Promise<void> {
    const trace = error?.stack ?? String(error);
    this.options.log.error(`${task}.${where} failed: ${trace}`);
    await this.client.announceSchedulingFailure(String(task), task.taskFamily, task.toStrParams(), trace, task.owners ?? []);
    await this.announce(task, "UNKNOWN", null, false);
  }

  private async announce(task: Task, status: TaskStatus, deps: string[] | null, runnable: boolean, external = false): Promise<void> {
    this.scheduled.set(task.taskId, { task, status, external, deps: deps ?? [] });
    await this.client.addTask({
      owners: task.owners ?? [],
      retry_policy_dict: retryPolicyDict(task),
      batchable: false,
      accepts_messages: task.acceptsMessages ?? false,
      param_visibilities: task.paramVisibilities(),
      params: task.toStrParams(),
      module: taskModule(task, this.options.module),
      family: task.taskFamily,
      priority: task.priority ?? 0,
      resources: task.resources ?? {},
      deps,
      runnable,
      status,
      task_id: task.taskId,
    });
  }
}

/** Re-creates a task from the scheduler's family and string parameters (dynamic deps, get_work). */
export function instantiate(cls: TaskClass | undefined, family: string, params: Record<string, string>): Task {
  if (!cls) throw new Error(`task family ${family} is not known in this process: export its class from the pipeline module`);
  if (familyOf(cls) !== family) throw new Error(`class ${cls.name} is not family ${family}`);
  return (cls as unknown as { fromStrParams(p: Record<string, string>): Task }).fromStrParams(params);
}
