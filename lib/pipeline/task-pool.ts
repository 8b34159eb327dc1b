import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TaskResult } from "./execute-task";
import type { FromChild, ToChild } from "./ipc";
import type { Logger } from "./run-log";

// The worker's task processes: up to `size` real Node processes (--workers N), each running one
// task at a time. They are reused across tasks because starting Node with the TypeScript loader
// costs ~0.3 s; one that dies is replaced for the next task. A task whose process dies — or is
// killed on shutdown — ends as FAILED with the reason, so no task is ever left RUNNING.

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "task-process.ts");
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

type Init = Omit<Extract<ToChild, { type: "init" }>, "type">;
type Slot = {
  child: ChildProcess;
  ready: Promise<void>;
  taskId: string | null;
  /** the run message went out; before that, operator messages for the task wait in `held` */
  started: boolean;
  held: ToChild[];
  settle?: (r: TaskResult) => void;
};

export type RpcRelay = (method: string, args: Record<string, unknown>) => Promise<unknown>;

export class TaskPool {
  private readonly slots: Slot[] = [];
  private killReason: string | null = null;

  constructor(
    private size: number,
    private readonly init: Init,
    private readonly log: Logger,
    private readonly relay: RpcRelay | null,
  ) {}

  get capacity(): number {
    return this.size;
  }

  resize(n: number): void {
    this.size = Math.max(1, n);
    // Idle processes above the new size are let go; busy ones finish their task first.
    for (const slot of this.slots.filter((s) => s.taskId === null).slice(this.size)) this.retire(slot);
  }

  /** Runs a task in an idle process (starting one if below capacity). */
  async run(request: Omit<Extract<ToChild, { type: "run" }>, "type">): Promise<TaskResult> {
    const slot = this.slots.find((s) => s.taskId === null) ?? this.spawn();
    slot.taskId = request.taskId;
    slot.started = false;
    try {
      await slot.ready;
    } catch (error) {
      this.retire(slot);
      return failed(`the task process could not start: ${(error as Error).message}`);
    }
    return new Promise<TaskResult>((resolve) => {
      slot.settle = (r) => {
        slot.taskId = null;
        slot.started = false;
        slot.held = [];
        slot.settle = undefined;
        resolve(r);
      };
      slot.child.send({ type: "run", ...request } satisfies ToChild);
      // The scheduler marks a task RUNNING before its process may have started; an operator
      // message that came in meanwhile follows the run message (IPC keeps the order).
      slot.started = true;
      for (const m of slot.held.splice(0)) slot.child.send(m);
    });
  }

  deliver(taskId: string, messageId: string, content: string): boolean {
    const slot = this.slots.find((s) => s.taskId === taskId);
    if (!slot) return false;
    const message: ToChild = { type: "scheduler-message", taskId, messageId, content };
    if (slot.started) slot.child.send(message);
    else slot.held.push(message);
    return true;
  }

  /** Kills the processes still running a task; each of those tasks ends FAILED with `reason`. */
  killRunning(reason: string): void {
    this.killReason = reason;
    for (const slot of this.slots) if (slot.taskId !== null) slot.child.kill("SIGKILL");
  }

  /** Stops every process (idle ones exit at once; call after the running tasks finished or were killed). */
  async close(): Promise<void> {
    const exits = this.slots.map((s) => new Promise<void>((r) => (s.child.exitCode !== null || s.child.signalCode !== null ? r() : s.child.once("exit", () => r()))));
    for (const slot of [...this.slots]) this.retire(slot);
    await Promise.all(exits);
  }

  private spawn(): Slot {
    const child = fork(entry, [], {
      execArgv: ["--import", tsxLoader],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    let onReady: () => void = () => {};
    let onFail: (e: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    ready.catch(() => {}); // observed by run(); avoid an unhandled rejection for idle spawns
    const slot: Slot = { child, ready, taskId: null, started: false, held: [] };
    child.on("message", (m: FromChild) => this.onMessage(slot, m, onReady, onFail));
    child.once("exit", (code, signal) => {
      const why = this.killReason ?? `the task process exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`;
      onFail(new Error(why));
      slot.settle?.(failed(why));
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    });
    child.send({ type: "init", ...this.init } satisfies ToChild);
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: FromChild, onReady: () => void, onFail: (e: Error) => void): void {
    switch (m.type) {
      case "ready":
        onReady();
        break;
      case "init-error":
        onFail(new Error(m.message));
        break;
      case "result":
        if (slot.taskId === m.taskId) slot.settle?.(m.result);
        break;
      case "rpc":
        this.relayRpc(slot, m);
        break;
    }
  }

  private relayRpc(slot: Slot, m: Extract<FromChild, { type: "rpc" }>): void {
    if (!this.relay) {
      slot.child.send({ type: "rpc-reply", id: m.id, error: "no scheduler relay" } satisfies ToChild);
      return;
    }
    this.relay(m.method, m.args).then(
      (result) => slot.child.connected && slot.child.send({ type: "rpc-reply", id: m.id, result } satisfies ToChild),
      (error) => slot.child.connected && slot.child.send({ type: "rpc-reply", id: m.id, error: (error as Error).message } satisfies ToChild),
    );
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (slot.child.connected) slot.child.disconnect(); // the task process exits on disconnect
    else if (slot.child.exitCode === null) slot.child.kill("SIGKILL");
  }
}

function failed(reason: string): TaskResult {
  return { status: "FAILED", explanation: `Runtime error:\n${reason}\n`, newDeps: [], ran: false, seconds: 0 };
}
