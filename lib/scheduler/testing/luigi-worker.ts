import { rpc } from "@/lib/scheduler/testing/rpc-client";

// A test client that drives the scheduler the way a Luigi 3.x worker does (SPEC §11): a
// keep-alive ping loop; a scheduling pass announcing each task (DONE if complete, else PENDING
// with its deps; complete tasks' deps are not visited); add_worker with the info pairs; then a
// get_work loop with up to `processes` tasks in flight, each reported with DONE, FAILED, or PENDING
// plus new_deps for dynamic dependencies. It exits when nothing is pending or running for it.

export type TaskSpec = {
  id: string;
  family: string;
  params?: Record<string, string>;
  deps?: string[];
  priority?: number;
  resources?: Record<string, number>;
  complete?: boolean;
  /** What running it does: DONE, FAILED, or yield dynamic dependencies (ids of other specs). */
  run?: (attempt: number) => Promise<"DONE" | "FAILED" | { newDeps: string[] }>;
};

export type WorkerResult = { ran: string[]; failed: string[]; getWorkCalls: number };

export class LuigiTestWorker {
  readonly id: string;
  private attempts = new Map<string, number>();
  private running = new Map<string, Promise<void>>();
  private result: WorkerResult = { ran: [], failed: [], getWorkCalls: 0 };

  constructor(
    private readonly url: string,
    private readonly specs: Map<string, TaskSpec>,
    private readonly opts: { name: string; processes?: number; keepAlive?: boolean; waitMs?: number } = { name: "w" },
  ) {
    this.id = `Worker(salt=${opts.name}, workers=${opts.processes ?? 1}, host=test, username=test, pid=${process.pid})`;
  }

  async run(roots: string[]): Promise<WorkerResult> {
    let pinging = true;
    const pinger = (async () => {
      while (pinging) {
        await rpc(this.url, "ping", { worker: this.id }).catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await this.schedule(roots);
      await rpc(this.url, "add_worker", { worker: this.id, info: [["salt", this.opts.name], ["workers", this.opts.processes ?? 1], ["host", "test"], ["username", "test"], ["pid", process.pid], ["first_task", roots[0]]] });
      await this.workLoop();
    } finally {
      pinging = false;
      await pinger;
    }
    return this.result;
  }

  /** Luigi's scheduling pass: one add_task per reachable task. */
  private async schedule(roots: string[]): Promise<void> {
    const queue = [...roots];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const spec = this.spec(queue.shift()!);
      if (spec.complete) {
        await this.announce(spec, { status: "DONE", deps: null });
        continue;
      }
      await this.announce(spec, { status: "PENDING", deps: spec.deps ?? [] });
      for (const d of spec.deps ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        queue.push(d);
      }
    }
  }

  private announce(spec: TaskSpec, extra: Record<string, unknown>) {
    const base = { task_id: spec.id, family: spec.family, module: "tests", params: spec.params ?? {}, param_visibilities: {}, priority: spec.priority ?? 0, resources: spec.resources ?? {}, worker: this.id };
    const scheduling = { runnable: true, new_deps: null, expl: null, accepts_messages: false, assistant: false, tracking_url: null, batchable: false, batch_id: null, retry_policy_dict: { retry_count: null, disable_hard_timeout: null, disable_window: null }, owners: [] };
    return rpc(this.url, "add_task", { ...scheduling, ...base, ...extra });
  }

  private async workLoop(): Promise<void> {
    const processes = this.opts.processes ?? 1;
    for (;;) {
      if (this.running.size >= processes) {
        await Promise.race(this.running.values());
        continue;
      }
      this.result.getWorkCalls++;
      const reply = await rpc<{ task_id: string | null; n_pending_tasks: number; running_tasks: unknown[] }>(this.url, "get_work", { worker: this.id, host: "test", assistant: false, current_tasks: [...this.running.keys()] });
      if (reply.task_id) {
        const id = reply.task_id;
        this.running.set(id, this.execute(id).finally(() => this.running.delete(id)));
        continue;
      }
      if (this.running.size > 0) await Promise.race(this.running.values());
      else if (this.opts.keepAlive && reply.n_pending_tasks > 0) await new Promise((r) => setTimeout(r, this.opts.waitMs ?? 50));
      else return;
    }
  }

  private async execute(id: string): Promise<void> {
    const spec = this.spec(id);
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    const outcome = spec.run ? await spec.run(attempt) : "DONE";
    const report = { runnable: null, deps: null, accepts_messages: false, assistant: false, tracking_url: null, batchable: null, batch_id: null, retry_policy_dict: { retry_count: null, disable_hard_timeout: null, disable_window: null }, owners: [] };
    if (typeof outcome === "object") {
      // dynamic dependencies: announce them runnable, then report PENDING with new_deps
      for (const d of outcome.newDeps) await this.announce(this.spec(d), { status: "PENDING", deps: this.spec(d).deps ?? [], runnable: true });
      await this.announce(spec, { ...report, status: "PENDING", new_deps: outcome.newDeps, expl: '""' });
      return;
    }
    this.result[outcome === "DONE" ? "ran" : "failed"].push(id);
    await this.announce(spec, { ...report, status: outcome, new_deps: [], expl: outcome === "DONE" ? "null" : JSON.stringify(`Runtime error: ${id} failed`) });
  }

  private spec(id: string): TaskSpec {
    const s = this.specs.get(id);
    if (!s) throw new Error(`no spec for ${id}`);
    return s;
  }
}
