import { executeTask, describeError } from "./execute-task";
import { IpcTransport, type FromChild, type ToChild } from "./ipc";
import { loadPipelineModule } from "./module-loader";
import { HttpTransport, transportOptionsFromEnv } from "./rpc-client";
import { logBlock, workerLogger } from "./run-log";
import { SchedulerClient } from "./scheduler-client";
import { ForcePolicy, instantiate, walkGraph } from "./scheduling";
import { registeredTask, type Task, type TaskRuntime } from "./task";

// Entry point of a task process (forked by the worker, run with `node --import tsx`). It loads the
// pipeline module itself, runs the tasks the worker hands it one at a time, and makes its own
// scheduler calls for status messages, progress, tracking URLs and message replies — as a Luigi
// worker's child processes do. Completion is reported to the worker, which tells the scheduler.

const log = workerLogger(`task-process ${process.pid}`);
let client: SchedulerClient | undefined;
let ipc: IpcTransport | undefined;
let force = { all: false, selectors: [] as string[] };
let current: { taskId: string; task: Task } | undefined;

function send(message: FromChild): void {
  if (process.connected) process.send!(message);
}

async function init(message: Extract<ToChild, { type: "init" }>): Promise<void> {
  process.chdir(message.cwd);
  await loadPipelineModule(message.modulePath);
  if (message.schedulerUrl) {
    client = new SchedulerClient(new HttpTransport(message.schedulerUrl, transportOptionsFromEnv()), message.workerId);
  } else {
    ipc = new IpcTransport(send);
    client = new SchedulerClient(ipc, message.workerId);
  }
  force = message.force;
  // Constructing the graph registers classes a module uses without exporting them.
  const root = instantiate(registeredTask(message.root.family), message.root.family, message.root.params);
  walkGraph([root]);
}

/** Scheduler calls made while a task runs; awaited before the result goes back, so none is lost. */
function runtimeFor(taskId: string, pending: Promise<unknown>[]): TaskRuntime {
  const track = (what: string, p: Promise<unknown>) =>
    pending.push(p.catch((error) => log.warn(`could not send ${what} for ${taskId} to the scheduler: ${(error as Error).message}`)));
  return {
    setStatusMessage: (m) => track("the status message", client!.setTaskStatusMessage(taskId, m)),
    setProgressPercentage: (p) => track("the progress", client!.setTaskProgressPercentage(taskId, p)),
    setTrackingUrl: (u) => track("the tracking URL", client!.setTrackingUrl(taskId, u)),
    decreaseRunningResources: (r) => track("the resource decrease", client!.decreaseRunningTaskResources(taskId, r)),
  };
}

async function run(message: Extract<ToChild, { type: "run" }>): Promise<void> {
  const task = instantiate(registeredTask(message.family), message.family, message.params);
  if (task.taskId !== message.taskId) throw new Error(`parameters of ${message.family} rebuilt a different task id (${task.taskId}, expected ${message.taskId})`);
  const policy = new ForcePolicy(force, new Set());
  message.rerun.forEach((id) => policy.rerun.add(id));
  const pending: Promise<unknown>[] = [];
  current = { taskId: message.taskId, task };
  const result = await executeTask(task, {
    forced: message.forced,
    isForcedDynamic: (t) => policy.isForced(t, true),
    log: task.log,
    runtime: runtimeFor(message.taskId, pending),
  });
  await Promise.all(pending);
  current = undefined;
  send({ type: "result", taskId: message.taskId, result });
}

async function answer(message: Extract<ToChild, { type: "scheduler-message" }>): Promise<void> {
  const task = current?.taskId === message.taskId ? current.task : undefined;
  if (!task?.acceptsMessages || !task.onSchedulerMessage) {
    log.warn(`${message.taskId} does not accept scheduler messages; ignoring ${JSON.stringify(message.content)}`);
    return;
  }
  const response = await task.onSchedulerMessage(message.content);
  await client!.addSchedulerMessageResponse(message.taskId, message.messageId, String(response));
}

function failCurrent(error: unknown): void {
  logBlock(log, "error", `unexpected error in the task process: ${describeError(error)}`);
  if (current) {
    send({ type: "result", taskId: current.taskId, result: { status: "FAILED", explanation: `Runtime error:\n${describeError(error)}`, newDeps: [], ran: true, seconds: 0 } });
  }
  // The process state is unknown now; the worker starts a fresh one for the next task.
  setImmediate(() => process.exit(1));
}

process.on("message", (message: ToChild) => {
  switch (message.type) {
    case "init":
      init(message).then(
        () => send({ type: "ready" }),
        (error) => send({ type: "init-error", message: (error as Error).message }),
      );
      break;
    case "run":
      run(message).catch(failCurrent);
      break;
    case "scheduler-message":
      answer(message).catch((error) => log.warn(`answering a scheduler message failed: ${(error as Error).message}`));
      break;
    case "rpc-reply":
      ipc?.settle(message);
      break;
  }
});
process.on("uncaughtException", failCurrent);
process.on("unhandledRejection", failCurrent);
// The worker decides what happens on Ctrl-C or SIGTERM (finish or fail the task); without a
// worker there is nobody to report to, so leave.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
process.on("disconnect", () => process.exit(1));
