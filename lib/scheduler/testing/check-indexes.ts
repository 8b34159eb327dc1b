import { compareRank, isEmpty, type Task } from "@/lib/scheduler/core/records";
import type { SchedulerState } from "@/lib/scheduler/core/state";
import { DONE, FAILED, PENDING, RUNNING } from "@/lib/scheduler/core/transitions";

// Recomputes every incremental index from scratch and lists where the live ones disagree.
// Used by the randomized tests: get_work and count_pending are only as right as these indexes.

export function indexProblems(state: SchedulerState): string[] {
  const problems: string[] = [];
  const ids = (xs: Iterable<Task>) => [...xs].map((t) => t.id);
  const all = [...state.tasks.values()];
  const ready = all.filter((t) => t.status === PENDING && t.deps.every((d) => state.tasks.get(d)?.status === DONE)).sort(compareRank);
  if (JSON.stringify(ids(state.ready)) !== JSON.stringify(ids(ready))) problems.push(`ready list ${ids(state.ready)} != ${ids(ready)}`);
  const running = all.filter((t) => t.status === RUNNING).sort(compareRank);
  if (JSON.stringify(ids(state.running)) !== JSON.stringify(ids(running))) problems.push(`running list differs`);
  for (const t of all) {
    const blocked = t.deps.filter((d) => state.tasks.get(d)?.status !== DONE).length;
    if (t.blocked !== blocked) problems.push(`${t.id}: blocked ${t.blocked}, expected ${blocked}`);
    if (!state.byStatus.get(t.status)?.has(t)) problems.push(`${t.id}: not in its status bucket ${t.status}`);
    for (const w of t.workers) if (!state.workers.has(w)) problems.push(`${t.id}: lists unknown worker ${w}`);
    for (const w of [...t.workers, ...t.stakeholders]) if (state.workers.has(w) && !state.workers.get(w)!.tasks.has(t)) problems.push(`${t.id}: not in the task index of ${w}, which it lists`);
    for (const d of t.deps) if (!state.dependentsOf(d).includes(t)) problems.push(`${t.id}: not among the dependents of ${d}`);
    for (const x of state.dependentsOf(t.id)) if (!x.deps.includes(t.id) || state.tasks.get(x.id) !== x) problems.push(`${t.id}: lists ${x.id} as a dependent`);
  }
  let bucketed = 0;
  for (const set of state.byStatus.values()) bucketed += set.size;
  if (bucketed !== all.length) problems.push(`status buckets hold ${bucketed} tasks, state ${all.length}`);
  for (const w of state.workers.values()) {
    for (const t of w.tasks) if (state.tasks.get(t.id) !== t) problems.push(`${w.id}: its task index holds ${t.id}, which is gone`);
    const mine = all.filter((t) => t.workers.includes(w.id));
    const pend = mine.filter((t) => t.status === PENDING || t.status === FAILED);
    const expect = {
      nPending: pend.length,
      nUnique: pend.filter((t) => t.workers.length === 1).length,
      nLast: pend.filter((t) => t.workers[t.workers.length - 1] === w.id).length,
      nPendingWithResources: mine.filter((t) => t.status === PENDING && !isEmpty(t.resources)).length,
    };
    for (const [k, v] of Object.entries(expect)) if (w[k as keyof typeof expect] !== v) problems.push(`${w.id}.${k} = ${w[k as keyof typeof expect]}, expected ${v}`);
    const wr = ready.filter((t) => t.workers.includes(w.id));
    if (JSON.stringify(ids(w.ready ?? [])) !== JSON.stringify(ids(wr))) problems.push(`${w.id}: ready list ${ids(w.ready ?? [])} != ${ids(wr)}`);
  }
  return problems;
}
