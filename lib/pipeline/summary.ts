import type { Scheduled } from "./scheduling";

// The end-of-run summary and exit code, after luigi.execution_summary and luigi.retcodes. Luigi's
// retcode defaults are all 0 except unhandled exceptions; we use the values Luigi's documentation
// recommends (and the capture harness configured), so a runner can tell outcomes apart.

export const retcodes = {
  success: 0,
  usage: 2, // not Luigi: bad command line or parameters (argparse also exits 2)
  alreadyRunning: 10,
  missingData: 20,
  notRun: 25,
  taskFailed: 30,
  schedulingError: 35,
  unhandledException: 40,
} as const;

export type RunOutcome = {
  /** the tasks announced to the scheduler, by id */
  scheduled: Map<string, Scheduled>;
  /** ran and finished DONE in this run */
  completed: Set<string>;
  /** reported FAILED at least once in this run */
  everFailed: Set<string>;
  /** pending tasks of ours that another worker was running when we stopped */
  runByOtherWorker: Set<string>;
  rootIds: string[];
};

type Partition = Record<
  "alreadyDone" | "completed" | "failed" | "schedulingError" | "stillPendingExt" | "runByOtherWorker" | "upstreamFailure" | "upstreamMissing" | "upstreamOther" | "notRun",
  Set<string>
>;

/** Luigi's _partition_tasks plus its depth-first search for the reasons a task did not run. */
export function partition(o: RunOutcome): Partition {
  const p: Partition = {
    alreadyDone: new Set(),
    completed: new Set(o.completed),
    failed: new Set([...o.everFailed].filter((id) => !o.completed.has(id))),
    schedulingError: new Set(),
    stillPendingExt: new Set(),
    runByOtherWorker: new Set(),
    upstreamFailure: new Set(),
    upstreamMissing: new Set(),
    upstreamOther: new Set(),
    notRun: new Set(),
  };
  const pending: string[] = [];
  for (const [id, s] of o.scheduled) {
    if (o.completed.has(id) || o.everFailed.has(id)) continue;
    if (s.status === "DONE") p.alreadyDone.add(id);
    else if (s.status === "UNKNOWN") p.schedulingError.add(id);
    else if (s.external) p.stillPendingExt.add(id);
    else pending.push(id);
  }
  const visited = new Set<string>();
  const visit = (id: string) => {
    if (visited.has(id)) return;
    visited.add(id);
    const deps = o.scheduled.get(id)?.deps ?? [];
    deps.forEach(visit);
    if (!pending.includes(id)) return;
    const reasons = deps.map((d) =>
      p.failed.has(d) || p.upstreamFailure.has(d)
        ? "failure"
        : p.stillPendingExt.has(d) || p.upstreamMissing.has(d)
          ? "missing"
          : p.runByOtherWorker.has(d) || p.schedulingError.has(d) || p.upstreamOther.has(d)
            ? "other"
            : null,
    );
    if (reasons.includes("failure")) p.upstreamFailure.add(id);
    else if (reasons.includes("missing")) p.upstreamMissing.add(id);
    else if (reasons.includes("other")) p.upstreamOther.add(id);
    else if (o.runByOtherWorker.has(id)) p.runByOtherWorker.add(id);
    else p.notRun.add(id);
  };
  [...o.scheduled.keys()].forEach(visit);
  return p;
}

/** luigi.retcodes.run_with_retcodes: the most severe category present wins. */
export function exitCode(o: RunOutcome): number {
  const p = partition(o);
  const code = Math.max(
    p.stillPendingExt.size ? retcodes.missingData : 0,
    p.failed.size ? retcodes.taskFailed : 0,
    p.runByOtherWorker.size ? retcodes.alreadyRunning : 0,
    p.schedulingError.size ? retcodes.schedulingError : 0,
    p.notRun.size ? retcodes.notRun : 0,
  );
  const rootsDone = o.rootIds.every((id) => p.completed.has(id) || p.alreadyDone.has(id));
  return code === 0 && !rootsDone ? retcodes.notRun : code;
}

/** Human summary in the spirit of Luigi's "Execution Summary". */
export function summaryText(o: RunOutcome): string {
  const p = partition(o);
  const name = (id: string) => String(o.scheduled.get(id)?.task ?? id);
  const lines = [`Scheduled ${o.scheduled.size} tasks of which:`];
  const section = (ids: Set<string>, label: string) => {
    if (ids.size === 0) return;
    lines.push(`* ${ids.size} ${label}:`);
    for (const id of [...ids].slice(0, 12)) lines.push(`    - ${name(id)}`);
    if (ids.size > 12) lines.push(`    ... and ${ids.size - 12} more`);
  };
  section(p.alreadyDone, "complete ones were encountered");
  section(p.completed, "ran successfully");
  section(p.failed, "failed");
  section(p.schedulingError, "failed scheduling (complete() or requires() raised)");
  section(p.stillPendingExt, "were missing external dependencies");
  section(p.runByOtherWorker, "were being run by another worker");
  section(p.upstreamFailure, "did not run because a dependency failed");
  section(p.upstreamMissing, "did not run because of missing external data");
  section(p.upstreamOther, "did not run because a dependency was elsewhere or unschedulable");
  section(p.notRun, "were not granted run permission by the scheduler");
  const code = exitCode(o);
  lines.push(code === 0 ? "This progress looks :) because there were no failed tasks or missing dependencies" : `This progress looks :( (exit code ${code})`);
  return lines.join("\n");
}
