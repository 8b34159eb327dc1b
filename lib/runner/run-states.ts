// Run statuses and the transitions between them, declared once. Every write that changes a
// run's status is a conditional UPDATE … WHERE id = $1 AND status = ANY($2) with $2 taken from
// here, so two actors racing (two runners, a runner and an operator) cannot both win.

export const runStatuses = ["queued", "running", "done", "failed", "cancelled", "lost"] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runKinds = ["daily", "hourly"] as const;
export type RunKind = (typeof runKinds)[number];

/** external: launched outside Switchyard (cron, Jenkins), recognised by its root task (lib/runner/external) */
export const runTriggers = ["scheduled", "manual", "retry", "backfill", "external"] as const;
export type RunTrigger = (typeof runTriggers)[number];

/** Lower is claimed first: manual before scheduled, scheduled before backfill (issue: queue order). */
export const queuePriority: Record<RunTrigger, number> = { manual: 0, retry: 1, scheduled: 2, backfill: 3, external: 2 };

/** A retry keeps its original's place in the order: a retried backfill run must not overtake scheduled ones. */
export function retryPriority(originalPriority: number): number {
  return Math.max(queuePriority.retry, originalPriority);
}

/**
 * to ← allowed from. queued → running is the claim; running → queued is a "not run" requeue
 * (execute-run.ts); running → lost is lost-run detection (the
 * runner that owned it stopped heartbeating); terminal statuses never change — a re-run is a new
 * run of the same period.
 */
export const transitions: Record<RunStatus, readonly RunStatus[]> = {
  // a run whose worker the scheduler did not let run (exit 25, root task still pending) goes back to the queue
  queued: ["running"],
  running: ["queued"],
  done: ["running"],
  failed: ["running"],
  cancelled: ["queued", "running"],
  lost: ["running"],
};

export const terminalStatuses: readonly RunStatus[] = ["done", "failed", "cancelled", "lost"];
export const activeStatuses: readonly RunStatus[] = ["queued", "running"];

export function allowedFrom(to: RunStatus): readonly RunStatus[] {
  return transitions[to];
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return transitions[to].includes(from);
}

export function isTerminal(status: RunStatus): boolean {
  return terminalStatuses.includes(status);
}

/** Statuses after which the retry policy may queue another attempt. */
export const retryableStatuses: readonly RunStatus[] = ["failed", "lost"];

/** Delay before attempt n+1 after attempt n failed: the service's backoff, doubled per attempt. */
export function retryDelaySeconds(backoffSeconds: number, failedAttempt: number): number {
  return backoffSeconds * 2 ** Math.max(0, failedAttempt - 1);
}
