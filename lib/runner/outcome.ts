// How a finished run's status is decided: the scheduler's view of the root task together with
// the process outcome. The scheduler is believed first, because Luigi exits 0 by default even
// when tasks failed (its --retcode-* options are opt-in); the exit code decides when the
// scheduler cannot say (no root task known, or the scheduler unreachable).
//
// A DONE the scheduler already held before the launch, unchanged since, is not this run's
// doing: a forced run killed before its worker spoke to the scheduler, or one whose PENDING the
// scheduler ignored inside Luigi's DONE cooldown (exit 25), must not be recorded done on the
// strength of an earlier run. Luigi leaves last_updated alone on DONE → DONE, so "unchanged"
// is read from it, compared with the scheduler's own earlier answer (no clocks compared).

export type ProcessOutcome = {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** the process could not be started at all */
  launchError?: string;
};

export type RootView =
  | {
      kind: "found";
      taskId: string;
      status: string;
      /** false: the same DONE the scheduler reported before the launch; null when not known */
      changedSinceLaunch?: boolean | null;
    }
  | { kind: "absent" }
  | { kind: "unreachable"; message: string }
  | { kind: "not-applicable" };

export type RunResult = { status: "done" | "failed" | "cancelled"; error: string | null };

/**
 * What the exit codes of Luigi's documented [retcode] settings mean (the TypeScript worker SDK
 * exits with them too, lib/pipeline/summary.ts), so a run's error says "a task failed", not a bare 30.
 */
const RETCODE_MEANINGS: Record<number, string> = {
  10: "run by another worker",
  20: "missing external data",
  25: "not run",
  30: "a task failed",
  35: "scheduling error",
  40: "unexpected error",
};

/**
 * The retcodes above whose log ends on Luigi's summary ("This progress looks :( because …"):
 * their meaning says it, and a failed task's exception is kept apart (task_failures). An
 * unexpected error (40) ends on its traceback, which is worth quoting.
 */
const SUMMARY_EXIT_CODES = new Set(Object.keys(RETCODE_MEANINGS).map(Number).filter((code) => code !== 40));

/**
 * Whether a failed run's error should quote the last line its process wrote: it exited non-zero
 * on its own, and nothing says why better — not a root task FAILED or DISABLED (its tasks'
 * exceptions), not Luigi's summarised retcodes, not a kill, a timeout or a cancel.
 */
export function wantsLastWords(p: ProcessOutcome, root: RootView): boolean {
  if (p.cancelled || p.timedOut || p.launchError || p.signal) return false;
  if (p.exitCode === null || p.exitCode === 0 || (p.exitCode > 128 && p.exitCode < 160)) return false;
  if (SUMMARY_EXIT_CODES.has(p.exitCode)) return false;
  if (root.kind === "found" && ["FAILED", "DISABLED"].includes(root.status.toUpperCase())) return false;
  return true;
}

/** How the process ended, as a clause: "the process was killed by SIGKILL", "the process exited with code 30 (a task failed)". */
export function describeExit(p: Pick<ProcessOutcome, "exitCode" | "signal">): string {
  if (p.signal) return `the process was killed by ${p.signal}`;
  // The lifeline wrapper (sh) reports a child killed by signal n as 128+n.
  if (p.exitCode !== null && p.exitCode > 128 && p.exitCode < 160) return `the process exited with code ${p.exitCode} (killed by signal ${p.exitCode - 128})`;
  const meaning = p.exitCode === null ? undefined : RETCODE_MEANINGS[p.exitCode];
  return `the process exited with code ${p.exitCode}${meaning ? ` (${meaning})` : ""}`;
}

/** `lastWords`: the last line the process wrote (last-words.ts), quoted in a failure's error when wantsLastWords. */
export function decideOutcome(p: ProcessOutcome, root: RootView, timeoutSeconds: number, lastWords: string | null = null): RunResult {
  const result = decideFromScheduler(p, root, timeoutSeconds);
  if (result.status === "failed" && lastWords && wantsLastWords(p, root)) return { ...result, error: `${result.error}; the last line of its log: ${lastWords}` };
  return result;
}

function decideFromScheduler(p: ProcessOutcome, root: RootView, timeoutSeconds: number): RunResult {
  if (p.cancelled) return { status: "cancelled", error: null };
  if (p.launchError) return { status: "failed", error: `could not start the command: ${p.launchError}` };
  if (p.timedOut) return { status: "failed", error: `timed out after ${timeoutSeconds} s and was stopped` };
  const exitedOk = p.exitCode === 0 && !p.signal;
  if (root.kind === "found") {
    const status = root.status.toUpperCase();
    if (status === "DONE") {
      if (root.changedSinceLaunch === false && !exitedOk) {
        return { status: "failed", error: `${describeExit(p)} and root task ${root.taskId} is DONE in the scheduler only from before this run was launched` };
      }
      return { status: "done", error: exitedOk ? null : `the scheduler reports ${root.taskId} DONE, although ${describeExit(p)}` };
    }
    if (status === "FAILED" || status === "DISABLED") return { status: "failed", error: `root task ${root.taskId} is ${status} in the scheduler (${describeExit(p)})` };
    // "but" only where the exit code promised success: a task that failed and a root left PENDING agree
    return { status: "failed", error: `${describeExit(p)} ${exitedOk ? "but" : "and"} root task ${root.taskId} is ${status}, not DONE, in the scheduler` };
  }
  const note = root.kind === "unreachable" ? `; ${root.message}, so the exit code decided` : "";
  if (exitedOk) return { status: "done", error: note ? note.slice(2) : null };
  return { status: "failed", error: `${describeExit(p)}${note}` };
}

/** Luigi's retcodes for a worker that did not get its turn. */
export const NOT_RUN_EXIT_CODE = 25; // not granted run permission by the scheduler
export const RUN_BY_OTHER_EXIT_CODE = 10; // a task it needed was being run by another worker

/**
 * True when the worker ended without running the root task because it was not its turn: the
 * scheduler gave it no work (exit 25: a resource held by another run, the root being run
 * elsewhere, a forced run's PENDING ignored inside Luigi's DONE cooldown), or a task it needed was
 * being run by another live worker (exit 10: an upstream shared with another service's run; a
 * killed run's workers are released at once, execute-run.ts). The run did not fail and goes back
 * to the queue. Never for a cancel, a timeout, a root FAILED or DISABLED, or a DONE reached during
 * the run.
 */
export function isNotRun(p: ProcessOutcome, root: RootView): boolean {
  if (p.cancelled || p.timedOut || p.launchError || p.signal) return false;
  if (p.exitCode !== NOT_RUN_EXIT_CODE && p.exitCode !== RUN_BY_OTHER_EXIT_CODE) return false;
  if (root.kind !== "found") return false;
  const status = root.status.toUpperCase();
  return status === "PENDING" || status === "RUNNING" || (status === "DONE" && root.changedSinceLaunch === false);
}

/** Why a "not run" run went back to the queue, for its row and the log. */
export function describeNotRun(p: Pick<ProcessOutcome, "exitCode">, root: RootView): string {
  const status = root.kind === "found" ? root.status : "?";
  if (p.exitCode === RUN_BY_OTHER_EXIT_CODE) return `tasks it needed were being run by another worker (exit code 10; root task ${status})`;
  // DONE and unchanged since the launch: the forced run's PENDING came inside Luigi's DONE cooldown
  if (status.toUpperCase() === "DONE")
    return "the scheduler granted the worker no work (exit code 25; root task DONE): it finished moments ago, and the scheduler ignores a re-run of a task for stable_done_cooldown_secs (10 s unless set) after it is done";
  return `the scheduler granted the worker no work (exit code 25; root task ${status}), e.g. a resource held by another run`;
}
