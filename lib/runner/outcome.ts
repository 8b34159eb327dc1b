// How a finished run's status is decided: the scheduler's view of the root task together with
// the process outcome. The scheduler is believed first, because Luigi exits 0 by default even
// when tasks failed (its --retcode-* options are opt-in); the exit code decides when the
// scheduler cannot say (no root task known, or the scheduler unreachable).

export type ProcessOutcome = {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** the process could not be started at all */
  launchError?: string;
};

export type RootView =
  | { kind: "found"; taskId: string; status: string }
  | { kind: "absent" }
  | { kind: "unreachable"; message: string }
  | { kind: "not-applicable" };

export type RunResult = { status: "done" | "failed" | "cancelled"; error: string | null };

export function describeExit(p: Pick<ProcessOutcome, "exitCode" | "signal">): string {
  if (p.signal) return `killed by ${p.signal}`;
  // The lifeline wrapper (sh) reports a child killed by signal n as 128+n.
  if (p.exitCode !== null && p.exitCode > 128 && p.exitCode < 160) return `exit code ${p.exitCode} (killed by signal ${p.exitCode - 128})`;
  return `exit code ${p.exitCode}`;
}

export function decideOutcome(p: ProcessOutcome, root: RootView, timeoutSeconds: number): RunResult {
  if (p.cancelled) return { status: "cancelled", error: null };
  if (p.launchError) return { status: "failed", error: `could not start the command: ${p.launchError}` };
  if (p.timedOut) return { status: "failed", error: `timed out after ${timeoutSeconds} s and was stopped` };
  const exitedOk = p.exitCode === 0 && !p.signal;
  if (root.kind === "found") {
    const status = root.status.toUpperCase();
    if (status === "DONE") {
      return { status: "done", error: exitedOk ? null : `the scheduler reports ${root.taskId} DONE, although the process ended with ${describeExit(p)}` };
    }
    if (status === "FAILED" || status === "DISABLED") return { status: "failed", error: `root task ${root.taskId} is ${status} in the scheduler (${describeExit(p)})` };
    return { status: "failed", error: `the process ended (${describeExit(p)}) but root task ${root.taskId} is ${status}, not DONE, in the scheduler` };
  }
  const note = root.kind === "unreachable" ? `; ${root.message}, so the exit code decided` : "";
  if (exitedOk) return { status: "done", error: note ? note.slice(2) : null };
  return { status: "failed", error: `the process ended with ${describeExit(p)}${note}` };
}

/** Luigi's retcode for "not run": tasks were not granted run permission by the scheduler. */
export const NOT_RUN_EXIT_CODE = 25;

/**
 * True when the worker ended without running the root task because the scheduler gave it no
 * work (a resource held by another run, the root being run elsewhere): the run did not fail, it
 * did not get its turn, and goes back to the queue. Never for a cancel, a timeout, or a root the
 * scheduler reports DONE, FAILED or DISABLED.
 */
export function isNotRun(p: ProcessOutcome, root: RootView): boolean {
  if (p.cancelled || p.timedOut || p.launchError || p.signal || p.exitCode !== NOT_RUN_EXIT_CODE) return false;
  return root.kind === "found" && ["PENDING", "RUNNING"].includes(root.status.toUpperCase());
}
