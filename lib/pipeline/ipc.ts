import type { TaskResult } from "./execute-task";
import type { SchedulerTransport } from "./rpc-client";

// Messages between the worker and its task processes (JSON over the Node IPC channel).

export type TaskRef = { family: string; params: Record<string, string> };

export type ToChild =
  | {
      type: "init";
      modulePath: string;
      cwd: string;
      root: TaskRef;
      /** null with --local-scheduler: scheduler calls are relayed through the worker */
      schedulerUrl: string | null;
      workerId: string;
      force: { all: boolean; selectors: string[] };
    }
  | { type: "run"; taskId: string; family: string; params: Record<string, string>; forced: boolean; rerun: string[] }
  | { type: "scheduler-message"; taskId: string; messageId: string; content: string }
  | { type: "rpc-reply"; id: number; result?: unknown; error?: string };

export type FromChild =
  | { type: "ready" }
  | { type: "init-error"; message: string }
  | { type: "result"; taskId: string; result: TaskResult }
  | { type: "rpc"; id: number; method: string; args: Record<string, unknown> };

/** A task process's scheduler connection under --local-scheduler: every call goes through the worker. */
export class IpcTransport implements SchedulerTransport {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly send: (m: FromChild) => void) {}

  call(method: string, args: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ type: "rpc", id, method, args });
    });
  }

  settle(reply: Extract<ToChild, { type: "rpc-reply" }>): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.error !== undefined) w.reject(new Error(reply.error));
    else w.resolve(reply.result);
  }
}
