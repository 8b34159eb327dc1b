import type { AddTaskArgs } from "@/lib/scheduler/core/add-task";
import type { CoreConfig } from "@/lib/scheduler/core/context";
import { Scheduler } from "@/lib/scheduler/core/scheduler";

// Terse helpers for unit tests of the pure scheduler: a clock the test moves, and add_task calls
// with the defaults a Luigi worker sends.

export function testScheduler(config: Partial<CoreConfig> = {}) {
  const clock = { now: 1_000_000 };
  const s = new Scheduler(config, () => clock.now);
  const add = (worker: string, id: string, more: Partial<AddTaskArgs> = {}) =>
    s.add_task({ task_id: id, status: "PENDING", runnable: true, deps: null, new_deps: null, expl: null, resources: null, priority: 0, family: id.split("_")[0], module: "m", params: { id }, param_visibilities: null, accepts_messages: false, assistant: false, tracking_url: null, worker, batchable: null, batch_id: null, retry_policy_dict: null, ...more });
  const report = (worker: string, id: string, status: string, more: Partial<AddTaskArgs> = {}) => add(worker, id, { status, runnable: null, expl: '"x"', params: null, ...more });
  const work = (worker: string, more: Record<string, unknown> = {}) => s.get_work({ worker, host: "h", assistant: false, current_tasks: null, ...more }) as Record<string, unknown>;
  const status = (id: string) => s.state.tasks.get(id)?.status;
  return { s, clock, add, report, work, status };
}
