import { flattenNested, mapNested } from "./flatten";
import { logBlock, type Logger } from "./run-log";
import { isTask, WrapperTask, type Requirements, type Task, type TaskRuntime } from "./task";

// Runs one task the way Luigi's TaskProcess does: refuse if a dependency is missing, run(), and
// if run() is a generator, feed it the outputs of each batch of requirements it yields; when a
// yielded batch is not complete, stop and hand the batch back as new dependencies (the scheduler
// runs them, then this task again from the start). Any exception becomes a FAILED result whose
// explanation is the stack trace, which reaches the scheduler (fetch_error) and the run log.

export type TaskResult = {
  status: "DONE" | "FAILED" | "PENDING";
  /** plain text; the worker JSON-encodes it for add_task's expl, as Luigi does */
  explanation: string | null;
  /** dynamic dependencies to schedule before this task can finish */
  newDeps: Array<{ family: string; params: Record<string, string>; taskId: string }>;
  /** false when the task was already complete and therefore not run again */
  ran: boolean;
  seconds: number;
};

export type ExecuteOptions = {
  /** forced tasks run even when complete */
  forced: boolean;
  /** whether a yielded (dynamic) requirement must be treated as incomplete because of --force */
  isForcedDynamic: (task: Task) => boolean;
  log: Logger;
  runtime?: TaskRuntime;
};

export async function executeTask(task: Task, options: ExecuteOptions): Promise<TaskResult> {
  const started = Date.now();
  const seconds = () => Math.round(Date.now() - started) / 1000;
  const log = options.log;
  try {
    // Another worker may have finished it since our scheduling pass: never run a task twice.
    // (A wrapper is "complete" as soon as its dependencies are, and its run is a no-op: run it, as Luigi does.)
    if (!options.forced && !(task instanceof WrapperTask) && (await task.complete())) {
      log.info(`${task} is already complete; not running it again`);
      return { status: "DONE", explanation: null, newDeps: [], ran: false, seconds: seconds() };
    }
    const missing: string[] = [];
    for (const dep of task.deps()) if (!(await dep.complete())) missing.push(dep.taskId);
    if (missing.length > 0) throw new Error(`Unfulfilled dependencies at run time: ${missing.join(", ")}`);
    task.attachRuntime(options.runtime);
    log.info(`running ${task}${options.forced ? " (forced)" : ""} in pid ${process.pid}`);
    const outcome = task.run!();
    const newDeps = isGenerator(outcome) ? await driveGenerator(outcome, options) : (await outcome, null);
    if (newDeps) {
      log.info(`${task} needs ${newDeps.length} more task(s) first: ${newDeps.map((t) => t.taskId).join(", ")}`);
      return {
        status: "PENDING",
        explanation: "",
        newDeps: newDeps.map((t) => ({ family: t.taskFamily, params: t.toStrParams(), taskId: t.taskId })),
        ran: true,
        seconds: seconds(),
      };
    }
    log.info(`done ${task} in ${seconds()} s`);
    return { status: "DONE", explanation: null, newDeps: [], ran: true, seconds: seconds() };
  } catch (error) {
    const trace = describeError(error);
    log.error(`failed ${task} after ${seconds()} s`);
    logBlock(log, "error", trace);
    return { status: "FAILED", explanation: `Runtime error:\n${trace}`, newDeps: [], ran: true, seconds: seconds() };
  } finally {
    task.attachRuntime(undefined);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return (error.stack ?? `${error.name}: ${error.message}`) + "\n";
  return `${String(error)}\n`;
}

type AnyGenerator = Generator<Requirements, void, unknown> | AsyncGenerator<Requirements, void, unknown>;

function isGenerator(v: unknown): v is AnyGenerator {
  return typeof v === "object" && v !== null && typeof (v as AnyGenerator).next === "function" && typeof (v as AnyGenerator).throw === "function";
}

/** Returns the yielded batch that is not complete yet, or null when run() finished. */
async function driveGenerator(gen: AnyGenerator, options: ExecuteOptions): Promise<Task[] | null> {
  let send: unknown = undefined;
  for (;;) {
    const step = await gen.next(send);
    if (step.done) return null;
    const required = flattenNested(step.value, isTask);
    for (const dep of required) {
      if (options.isForcedDynamic(dep) || !(await dep.complete())) {
        // Like Luigi, abandon this attempt; run() starts over once the batch is done.
        await Promise.resolve(gen.return(undefined)).catch(() => {});
        return required;
      }
    }
    send = mapNested(step.value, isTask, (t) => t.output());
  }
}
