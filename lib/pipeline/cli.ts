import { describeTasks, parseRunArgs, taskParamsFromFlags, UsageError } from "./cli-args";
import { describeError } from "./execute-task";
import { LocalSchedulerUnavailable, createLocalScheduler } from "./local-scheduler";
import { loadPipelineModule, ModuleLoadError } from "./module-loader";
import { redactUrl } from "@/lib/luigi-rpc/url";
import { HttpTransport, RpcError, transportOptionsFromEnv, type SchedulerTransport } from "./rpc-client";
import { logBlock, workerLogger } from "./run-log";
import { instantiate, walkGraph } from "./scheduling";
import { retcodes } from "./summary";
import { closeSharedPools } from "./targets/postgres-target";
import { TaskParameterError, familyOf, registeredTask, type Task } from "./task";
import { Worker } from "./worker";

// `switchyard run --module <file> <Family> [--param value ...] [options]` — the lead wires this to
// the switchyard CLI. Returns the exit code (0 done, 2 usage, else Luigi's retcodes, see summary.ts).

export async function runPipelineCommand(argv: string[]): Promise<number> {
  let prepared: Prepared;
  try {
    prepared = await prepare(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ModuleLoadError || error instanceof TaskParameterError || error instanceof LocalSchedulerUnavailable) {
      console.error(`switchyard run: ${error.message}`);
      return retcodes.usage;
    }
    throw error;
  }
  if ("help" in prepared) {
    console.log(prepared.help);
    return 0;
  }
  return execute(prepared);
}

type Ready = { root: Task; transport: SchedulerTransport; schedulerUrl: string | null; moduleName: string; modulePath: string; args: ReturnType<typeof parseRunArgs> };
type Prepared = Ready | { help: string };

async function prepare(argv: string[]): Promise<Prepared> {
  const args = parseRunArgs(argv);
  if (!args.module) {
    if (args.help) return { help: "Usage: switchyard run --module <file> <Family> [--param value ...] [--workers N] [--scheduler-url URL | --local-scheduler] [--force | --force-task X]\n\nGive --module with --help to list a module's tasks and their parameters." };
    throw new UsageError("--module is required (the TypeScript file that defines the task)");
  }
  const mod = await loadPipelineModule(args.module);
  if (args.help) return { help: describeTasks(mod.name, mod.classes, args.family && registeredTask(args.family) ? args.family : null) };
  const families = mod.classes.map(familyOf);
  if (!args.family) throw new UsageError(`name the task to run (tasks in ${mod.name}: ${families.join(", ") || "none"})`);
  const cls = registeredTask(args.family);
  if (!cls) throw new UsageError(`unknown task family ${args.family} in ${mod.name} (its tasks: ${families.join(", ") || "none"})`);
  const root = instantiate(cls, args.family, taskParamsFromFlags(cls, args.taskFlags));
  if (args.forceTasks.length > 0) checkForceSelectors(root, args.forceTasks);
  let transport: SchedulerTransport;
  let schedulerUrl: string | null = null;
  if (args.localScheduler) transport = await createLocalScheduler();
  else {
    schedulerUrl = args.schedulerUrl ?? `http://127.0.0.1:${process.env.SCHEDULER_PORT || 8082}`;
    try {
      transport = new HttpTransport(schedulerUrl, transportOptionsFromEnv());
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return { root, transport, schedulerUrl, moduleName: mod.name, modulePath: mod.file, args };
}

/** --force-task must name a family or task id in the root's graph; a typo would otherwise force nothing. */
function checkForceSelectors(root: Task, selectors: string[]): void {
  const graph = walkGraph([root]);
  for (const s of selectors) {
    if (![...graph.values()].some((n) => n.task.taskFamily === s || n.task.taskId === s)) {
      const families = [...new Set([...graph.values()].map((n) => n.task.taskFamily))].join(", ");
      throw new UsageError(`--force-task ${s} matches no task under ${root} (families there: ${families})`);
    }
  }
}

async function execute(p: Ready): Promise<number> {
  const log = workerLogger("switchyard run");
  log.info(`root task ${p.root.taskId} = ${p.root}`, { scheduler: p.schedulerUrl ? redactUrl(p.schedulerUrl) : "local", workers: p.args.workers });
  const grace = Number(process.env.SWITCHYARD_SHUTDOWN_GRACE ?? 10);
  const worker = new Worker({
    transport: p.transport,
    schedulerUrl: p.schedulerUrl,
    module: { name: p.moduleName, path: p.modulePath },
    root: p.root,
    workers: p.args.workers,
    force: { all: p.args.force, selectors: p.args.forceTasks },
    log,
    shutdownGraceMs: (Number.isFinite(grace) && grace >= 0 ? grace : 10) * 1000,
  });
  const onSignal = (signal: NodeJS.Signals) => worker.requestStop(signal);
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    const code = await worker.run();
    log.info(`exit code ${code}`);
    return code;
  } catch (error) {
    // An unreachable scheduler is an operational failure: one line. Anything else is a bug: the stack.
    if (error instanceof RpcError) log.error(`${error.message} (scheduler ${p.schedulerUrl ? redactUrl(p.schedulerUrl) : "local"})`);
    else logBlock(log, "error", `uncaught error in the worker: ${describeError(error)}`);
    return retcodes.unhandledException;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    await p.transport.close?.();
    await closeSharedPools();
  }
}
