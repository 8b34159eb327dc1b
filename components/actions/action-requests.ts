import { newRequestKey } from "@/components/actions/post-action";

// The closed list of operator actions the dashboard sends, each as { url, body } for postAction,
// and the sentence its confirmation shows. The sentence says exactly what will happen.

/** trigger: when known, an external run (launched outside Switchyard) gets no Cancel button. */
export type RunRef = { id: number; serviceName: string; kind: "daily" | "hourly"; periodDate: string; periodHour: number | null; trigger?: string };
/** keyed: the endpoint takes a requestKey (runs, backfill, task actions); cancel and pause take only a reason. */
export type ActionRequest = { url: string; body: Record<string, unknown>; keyed?: boolean };

/** The control API's period: "YYYY-MM-DD" for a daily run, "YYYY-MM-DDTHH" for an hourly one. */
export function periodOf(run: Pick<RunRef, "kind" | "periodDate" | "periodHour">): string {
  return run.kind === "hourly" && run.periodHour !== null ? `${run.periodDate}T${String(run.periodHour).padStart(2, "0")}` : run.periodDate;
}

const periodText = (run: RunRef) => `${periodOf(run).replace("T", " ")}${run.kind === "hourly" ? ":00" : ""}`;
const label = (run: RunRef) => `the ${run.kind} run of ${run.serviceName} for ${periodText(run)}`;

export const rerunRequest = (run: RunRef, opts: { force?: boolean; fromTask?: string } = {}): ActionRequest => ({
  url: "/api/v1/runs",
  keyed: true,
  body: { service: run.serviceName, kind: run.kind, period: periodOf(run), ...(opts.force ? { force: true } : {}), ...(opts.fromTask ? { fromTask: opts.fromTask } : {}) },
});

export function rerunSentence(run: RunRef, opts: { force?: boolean; fromTask?: string } = {}): string {
  const what = `${run.kind} run of ${run.serviceName} for ${periodText(run)}`;
  if (opts.fromTask) return `Queue a new ${what}, starting again from the task ${opts.fromTask}: tasks already done are kept. A runner starts it when one is free.`;
  if (opts.force) return `Queue a forced ${what}: every task runs again, even those already done. A runner starts it when one is free.`;
  return `Queue a new ${what}: tasks already done are kept, the rest run again. A runner starts it when one is free.`;
}

export const cancelRequest = (run: RunRef): ActionRequest => ({ url: `/api/v1/runs/${run.id}/cancel`, body: {} });
/** Why a running external run has no Cancel: the same words as the control API's refusal (lib/control/cancel-run.ts). */
export const EXTERNAL_CANCEL_NOTE =
  "Launched outside Switchyard, so Switchyard cannot stop it: stop it where it was started (its cron, Jenkins or Airflow job, or the worker process). To keep that worker from taking new tasks, disable it on the Workers page.";
export const cancelSentence = (run: RunRef) => `Cancel run ${run.id}, ${label(run)}: a queued run is dropped, a running one is stopped; its tasks stop where they are.`;

export type TaskActionName = "forgive-failures" | "re-enable" | "mark-done";
export const taskActionRequest = (taskId: string, action: TaskActionName): ActionRequest => ({ url: `/api/v1/tasks/${encodeURIComponent(taskId)}/${action}`, body: {}, keyed: true });
export const TASK_ACTION_SENTENCES: Record<TaskActionName, (taskId: string) => string> = {
  "forgive-failures": (t) => `Forgive the failures of ${t}: the scheduler sets it PENDING so a worker may retry it at once (its failure count is kept).`,
  "re-enable": (t) => `Re-enable ${t}, which the scheduler disabled after too many failures: it becomes FAILED and can be retried.`,
  "mark-done": (t) => `Mark ${t} DONE on the scheduler without running it: tasks that need it will go ahead as if it had succeeded.`,
};

export const servicePauseRequest = (service: string, pause: boolean): ActionRequest => ({ url: `/api/v1/services/${encodeURIComponent(service)}/${pause ? "pause" : "resume"}`, body: {} });
export const servicePauseSentence = (service: string, pause: boolean) =>
  pause
    ? // what pause does (lib/db/runs/claim-runs.ts): triggers keep queueing, runners stop claiming
      `Pause ${service}: its daily and hourly runs are still queued when due, but no runner starts them until it is resumed. Runs already running go on.`
    : `Resume ${service}: runners start its queued runs again, including those queued while it was paused.`;

export const serviceSilenceRequest = (service: string, minutes: number | null): ActionRequest =>
  minutes === null
    ? { url: `/api/v1/services/${encodeURIComponent(service)}/unsilence`, body: {} }
    : { url: `/api/v1/services/${encodeURIComponent(service)}/silence`, body: { minutes } };
export const serviceSilenceSentence = (service: string, minutes: number | null, label = "") =>
  minutes === null
    ? // lib/db/alerts/silences.ts: ending releases the held opens of incidents still open
      `End the silence of ${service} now: its alerts go out again, and the held message of each of its incidents still open is sent.`
    : `Silence the alerts of ${service} for ${label}: its incidents still open and show here, but no message about a new one goes to any channel. When the silence ends, each incident still open is sent after all.`;

export const runnerPauseRequest = (pause: boolean): ActionRequest => ({ url: `/api/v1/runner/${pause ? "pause" : "resume"}`, body: {} });
export const runnerPauseSentence = (pause: boolean) =>
  pause
    ? "Pause every runner: no queued run is started until they are resumed. Runs already running go on; triggers still queue runs."
    : "Resume every runner: queued runs start again, oldest and most urgent first.";

export const oneRunnerPauseRequest = (runnerId: string, pause: boolean): ActionRequest => ({ url: `/api/v1/runners/${encodeURIComponent(runnerId)}/${pause ? "pause" : "resume"}`, body: {} });
// what pausing one runner does (lib/control/runner-actions.ts, read by the runner's heartbeat)
export const oneRunnerPauseSentence = (runnerId: string, host: string, pause: boolean) =>
  pause
    ? `Pause runner ${runnerId} on ${host}: it finishes the runs it has and claims no new one, so ${host} can be drained for maintenance. The other runners go on. The pause holds for the host: a runner restarted there starts paused, until resumed.`
    : `Resume runner ${runnerId} on ${host}: it claims queued runs again.`;
export const forgetRunnerRequest = (runnerId: string): ActionRequest => ({ url: `/api/v1/runners/${encodeURIComponent(runnerId)}/forget`, body: {} });
// what forgetting does (lib/control/runner-actions.ts)
export const forgetRunnerSentence = (runnerId: string, host: string) =>
  `Forget runner ${runnerId} on ${host}: it is marked stopped, so it is no longer shown as down and its stale-runner incident resolves. Runs still running on it are marked lost and retried by the live runners. If it was only cut off and heartbeats again, it is live again.`;

export type BackfillInput = { service: string; kind: "daily" | "hourly"; from: string; to: string; force: boolean };
export const backfillRequest = (b: BackfillInput, dryRun: boolean): ActionRequest => ({
  url: "/api/v1/backfill",
  keyed: true,
  body: { service: b.service, kind: b.kind, from: b.from, to: b.to, ...(b.force ? { force: true } : {}), ...(dryRun ? { dryRun: true } : {}) },
});

/** The dry run that lists the failures, or the re-run of exactly those it listed. */
export const rerunFailedRequest = (failedRuns: number[] | null): ActionRequest => ({ url: "/api/v1/runs/rerun-failed", keyed: true, body: failedRuns ? { failedRuns } : { dryRun: true } });

/** Body with the reason and (where the endpoint takes one) the request key: what the dialog finally sends. */
export function withIntent(request: ActionRequest, reason: string, requestKey = newRequestKey()): ActionRequest {
  const trimmed = reason.trim();
  const body = { ...request.body, ...(trimmed ? { reason: trimmed } : {}), ...(request.keyed ? { requestKey } : {}) };
  return { ...request, body };
}

export const schedulerPauseRequest = (pause: boolean): ActionRequest => ({ url: `/api/v1/scheduler/${pause ? "pause" : "unpause"}`, body: {} });
export const schedulerPauseSentence = (pause: boolean) =>
  pause
    ? "Pause the scheduler: no worker is given a new task until it is unpaused. Tasks already running go on; workers keep asking and wait."
    : "Unpause the scheduler: workers are given pending tasks again at their next request.";
export const disableWorkerRequest = (worker: string): ActionRequest => ({ url: "/api/v1/scheduler/disable-worker", body: { worker } });
export const disableWorkerSentence = (worker: string) =>
  `Disable the worker ${worker}: the scheduler gives it no new task; the tasks it is running go on, and it exits when they end. Its pending tasks go to other workers.`;
export const workerProcessesRequest = (worker: string, processes: number): ActionRequest => ({ url: "/api/v1/scheduler/set-worker-processes", body: { worker, processes } });
export const workerProcessesSentence = (worker: string, processes: number) =>
  `Ask the worker ${worker} to run ${processes} task process${processes === 1 ? "" : "es"} at once: it applies this at its next ping (Luigi workers that accept scheduler messages).`;
