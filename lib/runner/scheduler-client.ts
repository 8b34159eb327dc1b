import { lazySigningKey } from "@/lib/luigi-rpc/call-signature";
import { LuigiClient } from "@/lib/luigi-rpc/client";
import { taskIdStr } from "@/lib/pipeline/task-id";
import type { RootTaskSpec } from "@/lib/runner/command/root-task";

// The runner asks the scheduler about a run's root task through the one Luigi client
// (lib/luigi-rpc), so it works the same against Switchyard's scheduler and a real luigid. One try
// per call: the runner asks again on its next pass. Its calls are marked as audited elsewhere
// (call-signature.ts): its only change, forgive_failures for a "re-run from this task", is part of
// a run request the control API has already written to the audit log.

/** lastUpdated: when the task last changed status, in seconds on the scheduler's clock (Luigi's last_updated). */
export type TaskView = { taskId: string; status: string; lastUpdated: number | null };

export type SchedulerClient = {
  url: string;
  /** The task of this family whose public parameters equal these, or null when the scheduler has none. */
  findTask(spec: RootTaskSpec): Promise<TaskView | null>;
  /** Lets a FAILED task be handed out again at once (operator "re-run from this task"). */
  forgiveFailures(taskId: string): Promise<void>;
  /** A cheap read-only call: resolves when the scheduler answers, throws why it did not. */
  probe(): Promise<void>;
  /**
   * The URL a run's workers are given: the run's own, <url>/runs/<id>, when the scheduler answers
   * there (Switchyard's does; a luigid does not), so it knows which workers are the run's.
   * Otherwise the plain URL, and `own` is false.
   */
  urlForRun(runId: number): Promise<{ url: string; own: boolean }>;
  /** The run's process has ended: the scheduler drops its workers now (scheduler/core/run-workers.ts). */
  releaseRun(runId: number): Promise<{ workers: string[]; failedTasks: string[] }>;
};

type SerialisedTask = { status?: string; name?: string; params?: Record<string, unknown>; last_updated?: unknown };

export function createSchedulerClient(url: string, options: { timeoutMs?: number } = {}): SchedulerClient {
  const clientOptions = { attempts: 1, timeoutMs: options.timeoutMs ?? 5_000, userAgent: "switchyard-runner", signingKey: lazySigningKey() };
  const client = new LuigiClient(url, clientOptions);
  // the probe tries twice, at once: a call that timed out while this process was stalled (a paused
  // VM, SIGSTOP) says nothing about the scheduler, and it raised a false scheduler_unreachable
  const prober = new LuigiClient(url, { ...clientOptions, attempts: 2, retryWaitMs: 0 });
  const base = url.replace(/\/+$/, "");
  const call = (method: string, args: Record<string, unknown>) => client.call(method, args);

  return {
    // with its credentials: launched runs are given this URL, so their workers authenticate too
    url: base,
    async findTask(spec) {
      // First by the id Luigi gives these family and parameters: dep_graph without DONE
      // dependencies costs the root and its unfinished closure, where a search reads the display
      // name of every task the scheduler holds (22 ms at 50k tasks, on its event loop), and the
      // runner asks before and after every run. A root whose id differs (a parameter with a default
      // not on the command line) is found by the search.
      const id = taskIdStr(spec.family, spec.params);
      const graph = await call("dep_graph", { task_id: id, include_done: false });
      const root = graph && typeof graph === "object" ? (graph as Record<string, SerialisedTask>)[id] : undefined;
      if (root && root.name === spec.family && sameParams(root.params ?? {}, spec.params)) return view(id, root);
      // task_list's search matches every whitespace-separated term in the display name
      // "Family(k=v, …)"; the exact match on family and parameters is done here.
      const terms = [spec.family, ...Object.entries(spec.params).map(([k, v]) => `${k}=${v}`)].filter((t) => !/\s/.test(t));
      const result = await call("task_list", { status: "", upstream_status: "", search: terms.join(" ") });
      if (!result || typeof result !== "object" || "num_tasks" in result) return null;
      for (const [taskId, task] of Object.entries(result as Record<string, SerialisedTask>)) {
        if (task.name === spec.family && sameParams(task.params ?? {}, spec.params)) return view(taskId, task);
      }
      return null;
    },
    async forgiveFailures(taskId) {
      await call("forgive_failures", { task_id: taskId });
    },
    async probe() {
      await prober.call("is_paused", {});
    },
    async urlForRun(runId) {
      const own = `${base}/runs/${runId}`;
      const probe = new LuigiClient(own, clientOptions);
      try {
        await probe.call("is_paused", {});
        return { url: own, own: true };
      } catch {
        return { url: base, own: false };
      } finally {
        probe.close();
      }
    },
    async releaseRun(runId) {
      const answer = (await call("release_run_workers", { run_id: runId })) as { workers?: unknown; failed_tasks?: unknown } | null;
      const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
      return { workers: strings(answer?.workers), failedTasks: strings(answer?.failed_tasks) };
    },
  };
}

function view(taskId: string, task: SerialisedTask): TaskView {
  return { taskId, status: String(task.status ?? "UNKNOWN"), lastUpdated: typeof task.last_updated === "number" ? task.last_updated : null };
}

function sameParams(actual: Record<string, unknown>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => String(actual[k]) === v);
}
