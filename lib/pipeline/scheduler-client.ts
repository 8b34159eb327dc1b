import type { TaskStatus as LuigiTaskStatus } from "@/lib/luigi-rpc/names";
import { RpcError, type SchedulerTransport } from "./rpc-client";

// Typed calls for the methods a worker uses. Like Luigi's client stub, every call carries every
// argument of the server method (SPEC §1.2: "clients send every argument"), with Luigi's defaults.

/** What a worker reports (lib/luigi-rpc/names.ts declares every status once). */
export type TaskStatus = Exclude<LuigiTaskStatus, "BATCH_RUNNING">;

export type AddTaskArgs = {
  task_id: string;
  status?: TaskStatus;
  runnable?: boolean | null;
  deps?: string[] | null;
  new_deps?: string[] | null;
  expl?: string | null;
  resources?: Record<string, number> | null;
  priority?: number;
  family?: string;
  module?: string | null;
  params?: Record<string, string> | null;
  param_visibilities?: Record<string, number> | null;
  accepts_messages?: boolean;
  assistant?: boolean;
  tracking_url?: string | null;
  batchable?: boolean | null;
  batch_id?: string | null;
  retry_policy_dict?: RetryPolicyDict | null;
  owners?: string[] | null;
};

export type RetryPolicyDict = { retry_count: number | null; disable_hard_timeout: number | null; disable_window: number | null };

export type RunningTaskInfo = { task_id: string; worker: string; [info: string]: unknown };

export type GetWorkReply = {
  n_pending_tasks: number;
  n_unique_pending: number;
  n_pending_last_scheduled?: number;
  worker_state: "active" | "disabled";
  running_tasks: RunningTaskInfo[];
  task_id: string | null;
  task_family?: string;
  task_module?: string | null;
  task_params?: Record<string, string>;
  batch_id?: string;
  batch_task_ids?: string[];
};

export type RpcMessage = { name: string; kwargs: Record<string, unknown> };

export class SchedulerClient {
  constructor(
    readonly transport: SchedulerTransport,
    readonly worker: string,
  ) {}

  async addTask(args: AddTaskArgs): Promise<void> {
    // Key order as Luigi's stub sends it (fixtures/dag.jsonl); values default like luigid's signature.
    await this.transport.call("add_task", {
      owners: args.owners === undefined ? null : args.owners,
      retry_policy_dict: args.retry_policy_dict ?? null,
      batch_id: args.batch_id ?? null,
      batchable: args.batchable === undefined ? null : args.batchable,
      worker: this.worker,
      tracking_url: args.tracking_url ?? null,
      assistant: args.assistant ?? false,
      accepts_messages: args.accepts_messages ?? false,
      param_visibilities: args.param_visibilities ?? null,
      params: args.params ?? null,
      module: args.module ?? null,
      family: args.family ?? "",
      priority: args.priority ?? 0,
      resources: args.resources === undefined ? null : args.resources,
      expl: args.expl ?? null,
      new_deps: args.new_deps ?? null,
      deps: args.deps ?? null,
      runnable: args.runnable === undefined ? true : args.runnable,
      status: args.status ?? "PENDING",
      task_id: args.task_id,
    });
  }

  async addWorker(info: Array<[string, unknown]> | Record<string, unknown>): Promise<void> {
    await this.transport.call("add_worker", { worker: this.worker, info });
  }

  /** A null answer is asked again up to 3 times, then an error (Luigi's RemoteScheduler does the same). */
  async getWork(host: string, currentTasks: string[]): Promise<GetWorkReply> {
    for (let i = 0; i < 4; i++) {
      const reply = await this.transport.call("get_work", { host, assistant: false, current_tasks: currentTasks, worker: this.worker });
      if (reply && typeof reply === "object") return reply as GetWorkReply;
    }
    throw new RpcError("get_work", "the scheduler kept answering null");
  }

  async ping(): Promise<RpcMessage[]> {
    const reply = (await this.transport.call("ping", { worker: this.worker })) as { rpc_messages?: RpcMessage[] } | null;
    return reply?.rpc_messages ?? [];
  }

  async announceSchedulingFailure(taskName: string, family: string, params: Record<string, string>, expl: string, owners: string[]): Promise<void> {
    await this.transport.call("announce_scheduling_failure", { task_name: taskName, family, params, expl, owners, worker: this.worker });
  }

  async setTaskStatusMessage(taskId: string, message: string): Promise<void> {
    await this.transport.call("set_task_status_message", { task_id: taskId, status_message: message });
  }

  async setTaskProgressPercentage(taskId: string, percentage: number): Promise<void> {
    await this.transport.call("set_task_progress_percentage", { task_id: taskId, progress_percentage: percentage });
  }

  async decreaseRunningTaskResources(taskId: string, resources: Record<string, number>): Promise<void> {
    await this.transport.call("decrease_running_task_resources", { task_id: taskId, decrease_resources: resources });
  }

  async addSchedulerMessageResponse(taskId: string, messageId: string, response: string): Promise<void> {
    await this.transport.call("add_scheduler_message_response", { task_id: taskId, message_id: messageId, response });
  }

  /** The tracking-URL update Luigi sends while a task runs (fixtures/status.jsonl). */
  async setTrackingUrl(taskId: string, url: string): Promise<void> {
    await this.addTask({ task_id: taskId, status: "RUNNING", tracking_url: url, runnable: true, owners: null, resources: null });
  }
}
