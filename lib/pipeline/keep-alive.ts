import type { Logger } from "./run-log";
import type { RpcMessage, SchedulerClient } from "./scheduler-client";

// Luigi's keep-alive thread: ping every second so the scheduler knows this worker is alive (it
// fails a dead worker's RUNNING tasks after worker_disconnect_delay), and carry out the messages
// the ping returns — the scheduler's only channel to a worker (SPEC §7.1).

export type MessageHandlers = {
  setWorkerProcesses(n: number): Promise<void> | void;
  dispatchSchedulerMessage(taskId: string, messageId: string, content: string): Promise<void> | void;
};

export class KeepAlive {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private failing = false;

  constructor(
    private readonly client: SchedulerClient,
    private readonly handlers: MessageHandlers,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref(); // never the reason the process stays up
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.inFlight) return; // a slow scheduler must not pile up pings
    this.inFlight = true;
    try {
      const messages = await this.client.ping();
      if (this.failing) this.log.info("the scheduler answers pings again");
      this.failing = false;
      for (const m of messages) await this.handle(m);
    } catch (error) {
      // Like Luigi: a failed ping is logged, never fatal.
      if (!this.failing) this.log.warn(`ping failed: ${(error as Error).message}`);
      this.failing = true;
    } finally {
      this.inFlight = false;
    }
  }

  async handle(message: RpcMessage): Promise<void> {
    const k = message.kwargs ?? {};
    if (message.name === "set_worker_processes" && typeof k.n === "number") {
      this.log.info(`the scheduler asks for ${k.n} worker process(es)`);
      await this.handlers.setWorkerProcesses(k.n);
    } else if (message.name === "dispatch_scheduler_message" && typeof k.task_id === "string") {
      await this.handlers.dispatchSchedulerMessage(k.task_id, String(k.message_id), String(k.content));
    } else {
      this.log.warn(`ignoring unknown scheduler message ${JSON.stringify(message.name)}`);
    }
  }
}
