import { flattenNested, mapNested, type Nested } from "./flatten";
import { ParameterValueError, visibilityCode, type ParamInput, type ParamSpec, type ParamValues } from "./parameters";
import { taskIdStr } from "./task-id";
import { taskLogger, type Logger } from "./run-log";
import type { Target } from "./targets/local-target";

// Luigi's task model: a family plus typed parameters gives a task id; requires() names the tasks
// whose outputs this one needs, output() its own targets, run() does the work (and may yield
// dynamic dependencies), complete() defaults to "every output exists".
//
//   export class Sessionize extends Task.params({ service_id: param.string(), day: param.date() }) {
//     requires() { return new CleanEvents({ service_id: this.service_id, day: this.day }); }
//     output() { return new LocalTarget(`out/${this.service_id}/${formatIsoDate(this.day)}/sessions.csv`); }
//     async run() { ... }
//   }

export type Requirements = Nested<Task>;
export type Outputs = Nested<Target>;
export type RunResult = void | Promise<void> | Generator<Requirements, void, any> | AsyncGenerator<Requirements, void, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A task parameter problem, always naming the task family and the parameter. */
export class TaskParameterError extends Error {
  constructor(
    readonly family: string,
    readonly param: string,
    readonly reason: string,
  ) {
    super(`${family}: parameter ${param}: ${reason}`);
    this.name = "TaskParameterError";
  }
}

/** What a running task can tell the scheduler; wired up by the worker, a no-op elsewhere. */
export interface TaskRuntime {
  setStatusMessage(message: string): void;
  setProgressPercentage(percentage: number): void;
  setTrackingUrl(url: string): void;
  decreaseRunningResources(resources: Record<string, number>): void;
}

export const isTask = (v: unknown): v is Task => v instanceof Task;
export const isTarget = (v: unknown): v is Target => typeof v === "object" && v !== null && typeof (v as Target).exists === "function" && !(v instanceof Task);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AbstractCtor<T> = abstract new (...args: any[]) => T;
export type TaskClass = (abstract new (values: Record<string, unknown>) => Task) & Pick<typeof Task, "paramSpec" | "params"> & { family?: string; module?: string };
/** The class `Task.params(spec)` returns: construct with the spec's parameters, read them as fields. */
export type ParamTaskClass<T extends Task, S extends ParamSpec> = (abstract new (
  ...args: Record<string, never> extends ParamInput<S> ? [values?: ParamInput<S>] : [values: ParamInput<S>]
) => T & ParamValues<S>) &
  Pick<typeof Task, "paramSpec" | "params" | "fromStrParams">;

const registry = new Map<string, TaskClass>();

/** Families this process has seen (exported by a loaded module, or constructed). */
export function registeredTask(family: string): TaskClass | undefined {
  return registry.get(family);
}

export function registerTask(cls: TaskClass): void {
  const family = familyOf(cls);
  const known = registry.get(family);
  if (known && known !== cls) throw new Error(`two task classes share the family ${family}; give one a static family name`);
  registry.set(family, cls);
}

export function familyOf(cls: TaskClass): string {
  return Object.hasOwn(cls, "family") && cls.family ? cls.family : cls.name;
}

export abstract class Task {
  static paramSpec: ParamSpec = {};
  /** defaults to the class name, as in Luigi */
  static family?: string;
  /** sent as task_module; set by the module loader */
  static module?: string;

  /** Declares parameters: `class X extends Task.params({ day: param.date() }) {}` */
  static params<T extends Task, S extends ParamSpec>(this: AbstractCtor<T>, spec: S): ParamTaskClass<T, S> {
    const Base = this as unknown as TaskClass;
    const merged = { ...Base.paramSpec, ...spec };
    for (const name of Object.keys(spec)) checkParamName(name);
    abstract class WithParams extends (Base as unknown as AbstractCtor<Task>) {
      static paramSpec = merged;
    }
    return WithParams as unknown as ParamTaskClass<T, S>;
  }

  // Luigi's task attributes. Override them with fields (`priority = 10`), which may use parameters.
  declare priority?: number;
  declare resources?: Record<string, number>;
  /** e-mail addresses (Luigi's owner_email), sent as add_task owners */
  declare owners?: string[];
  /** per-task retry policy overriding the scheduler's [scheduler] defaults */
  declare retryCount?: number;
  declare disableHardTimeout?: number;
  declare disableWindow?: number;
  declare acceptsMessages?: boolean;
  declare disabled?: boolean;

  readonly taskId: string;
  readonly taskFamily: string;
  private readonly values: Record<string, unknown>;
  private runtime: TaskRuntime | undefined;
  private logger: Logger | undefined;

  constructor(values: Record<string, unknown> = {}) {
    const cls = new.target as unknown as TaskClass;
    this.taskFamily = familyOf(cls);
    if (!registry.has(this.taskFamily)) registerTask(cls);
    const spec = cls.paramSpec;
    for (const key of Object.keys(values)) {
      if (!(key in spec)) throw new TaskParameterError(this.taskFamily, key, `unknown parameter (known: ${Object.keys(spec).join(", ") || "none"})`);
    }
    this.values = {};
    for (const [name, p] of Object.entries(spec)) {
      const given = values[name];
      let value: unknown;
      try {
        if (given !== undefined) value = p.normalize(given);
        else if (p.hasDefault) value = p.defaultValue();
        else throw new TaskParameterError(this.taskFamily, name, "missing (it has no default)");
      } catch (error) {
        if (error instanceof ParameterValueError) throw new TaskParameterError(this.taskFamily, name, error.message);
        throw error;
      }
      this.values[name] = value;
      Object.defineProperty(this, name, { value, enumerable: true, writable: false });
    }
    this.taskId = taskIdStr(this.taskFamily, this.toStrParams({ onlySignificant: true, onlyPublic: true }));
  }

  /** Luigi's from_str_params: the inverse of toStrParams(), used for the command line and the wire. */
  static fromStrParams<T extends Task>(this: new (values: never) => T, params: Record<string, string>): T {
    const spec = (this as unknown as TaskClass).paramSpec;
    const family = familyOf(this as unknown as TaskClass);
    const values: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(spec)) {
      if (params[name] === undefined) continue;
      try {
        values[name] = p.parse(params[name]);
      } catch (error) {
        if (error instanceof ParameterValueError) throw new TaskParameterError(family, name, error.message);
        throw error;
      }
    }
    return new (this as unknown as new (v: Record<string, unknown>) => T)(values);
  }

  requires(): Requirements {
    return [];
  }

  output(): Outputs {
    return [];
  }

  /** Absent on external tasks: data this process cannot produce, only wait for. */
  run?(): RunResult;

  /** Default: every output exists; a task with no outputs is never complete (as in Luigi). */
  async complete(): Promise<boolean> {
    const outputs = flattenNested(this.output(), isTarget);
    if (outputs.length === 0) return false;
    for (const target of outputs) if (!(await target.exists())) return false;
    return true;
  }

  /** The flat list of static dependencies. */
  deps(): Task[] {
    return flattenNested(this.requires(), isTask);
  }

  /** requires() with each task replaced by its output(). */
  input(): Outputs {
    return mapNested(this.requires(), isTask, (t) => t.output()) as Outputs;
  }

  /**
   * Parameter values as Luigi strings: hidden and insignificant ones included, private ones only
   * with includePrivate (used between this worker and its own task processes, never on the wire).
   */
  toStrParams(options: { onlySignificant?: boolean; onlyPublic?: boolean; includePrivate?: boolean } = {}): Record<string, string> {
    const spec = (this.constructor as TaskClass).paramSpec;
    const out: Record<string, string> = {};
    for (const [name, p] of Object.entries(spec)) {
      if (p.visibility === "private" && !options.includePrivate) continue;
      if (options.onlySignificant && !p.significant) continue;
      if (options.onlyPublic && p.visibility !== "public") continue;
      out[name] = p.serialize(this.values[name]);
    }
    return out;
  }

  /** add_task's param_visibilities: 0 public, 1 hidden (private parameters are not sent). */
  paramVisibilities(): Record<string, number> {
    const spec = (this.constructor as TaskClass).paramSpec;
    const out: Record<string, number> = {};
    for (const [name, p] of Object.entries(spec)) if (p.visibility !== "private") out[name] = visibilityCode[p.visibility];
    return out;
  }

  /** Another task with the parameters it shares with this one (Luigi's clone()). */
  clone<T extends Task>(cls: new (values: never) => T, overrides: Record<string, unknown> = {}): T {
    const spec = (cls as unknown as TaskClass).paramSpec;
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(spec)) if (name in this.values) values[name] = this.values[name];
    return new (cls as unknown as new (v: Record<string, unknown>) => T)({ ...values, ...overrides });
  }

  /** "Family(a=1, b=x)": significant, non-private parameters in declaration order. */
  toString(): string {
    const spec = (this.constructor as TaskClass).paramSpec;
    const parts = Object.entries(spec)
      .filter(([, p]) => p.significant && p.visibility !== "private")
      .map(([name, p]) => `${name}=${p.serialize(this.values[name])}`);
    return `${this.taskFamily}(${parts.join(", ")})`;
  }

  get log(): Logger {
    this.logger ??= taskLogger(this.taskId);
    return this.logger;
  }

  /** Shown in the scheduler and the dashboard while the task runs. */
  setStatusMessage(message: string): void {
    this.runtime?.setStatusMessage(message);
  }

  setProgressPercentage(percentage: number): void {
    this.runtime?.setProgressPercentage(percentage);
  }

  setTrackingUrl(url: string): void {
    this.runtime?.setTrackingUrl(url);
  }

  /** Gives back part of the resources this task holds, so other tasks can start (Luigi's decrease_running_resources). */
  decreaseRunningResources(resources: Record<string, number>): void {
    this.runtime?.decreaseRunningResources(resources);
  }

  /** For tasks with acceptsMessages = true: answers an operator's message (Luigi's scheduler messages). */
  onSchedulerMessage?(content: string): string | Promise<string>;

  /** @internal the worker attaches the scheduler connection before run() */
  attachRuntime(runtime: TaskRuntime | undefined): void {
    this.runtime = runtime;
  }
}

/** A task that only groups others: complete when all its requirements are (luigi.WrapperTask). */
export abstract class WrapperTask extends Task {
  override async complete(): Promise<boolean> {
    for (const dep of this.deps()) if (!(await dep.complete())) return false;
    return true;
  }

  run(): void {}
}

/** Data produced outside this process: never run, only checked (luigi.ExternalTask). */
export abstract class ExternalTask extends Task {}

const reserved = new Set(["taskId", "taskFamily", "values", "runtime", "logger", "constructor"]);

function checkParamName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`parameter name ${JSON.stringify(name)} must be an identifier (letters, digits, _)`);
  let proto: object | null = Task.prototype;
  const members = new Set(reserved);
  while (proto && proto !== Object.prototype) {
    Object.getOwnPropertyNames(proto).forEach((n) => members.add(n));
    proto = Object.getPrototypeOf(proto);
  }
  for (const n of ["priority", "resources", "owners", "retryCount", "disableHardTimeout", "disableWindow", "acceptsMessages", "disabled"]) members.add(n);
  if (members.has(name)) throw new Error(`parameter name ${JSON.stringify(name)} clashes with a Task member; choose another name`);
}
