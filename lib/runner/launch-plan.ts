import path from "node:path";
import { runLogName } from "@/lib/runner/run-logs";
import { redactUrls } from "@/lib/luigi-rpc/url";
import type { ClaimedRun } from "@/lib/db/runs/claim-runs";
import { renderCommand, type RenderedCommand } from "@/lib/runner/command/render-command";
import { renderRootTask, rootTaskFromArgv, type RootTaskSpec } from "@/lib/runner/command/root-task";
import { substitute } from "@/lib/runner/command/template";
import type { LaunchSpec } from "@/lib/runner/launchers/types";
import { formatDateHour } from "@/lib/runner/schedule/periods";

// From a claimed run to what the launcher starts: the command line with its placeholders filled
// in, the environment, the log file, and the root task the scheduler will know the run by.
// Pure, so the rendering of every placeholder is unit-tested without a process.

export type LaunchPlan = { spec: LaunchSpec; rendered: RenderedCommand; rootTask: RootTaskSpec | null };

export function periodText(run: Pick<ClaimedRun, "kind" | "periodDate" | "periodHour">): string {
  return run.kind === "daily" ? run.periodDate : formatDateHour({ date: run.periodDate, hour: run.periodHour });
}

export function planLaunch(run: ClaimedRun, options: { schedulerUrl: string; logDir: string }): LaunchPlan {
  const template = run.kind === "daily" ? run.service.dailyCommand : run.service.hourlyCommand;
  if (!template) throw new Error(`service ${run.serviceName} has no ${run.kind} command`);
  const period = periodText(run);
  const values = {
    service: run.serviceName,
    day: run.periodDate,
    hour: run.kind === "hourly" ? period : null,
    period,
    scheduler_url: options.schedulerUrl,
    run_id: String(run.id),
    attempt: String(run.attempt),
  };
  const rendered = renderCommand({
    template,
    forceArgument: run.service.forceArgument,
    fromTaskArgument: run.service.fromTaskArgument,
    environment: run.service.environment,
    values,
    force: run.force,
    fromTask: run.fromTask,
  });
  // The scheduler URL may carry user:secret (scheduler auth); the command shown in logs and on the
  // dashboard must not.
  rendered.display = redactUrls(rendered.display);
  const named = run.kind === "daily" ? run.service.dailyRootTask : run.service.hourlyRootTask;
  const scalars: Record<string, string> = { ...values, hour: values.hour ?? "" };
  const rootTask = named ? renderRootTask(named, (text) => substitute(text, scalars)) : rootTaskFromArgv(rendered.argv);
  const spec: LaunchSpec = {
    runId: run.id,
    attempt: run.attempt,
    service: run.serviceName,
    kind: run.kind,
    period,
    argv: rendered.argv,
    workingDirectory: run.service.workingDirectory,
    env: {
      ...rendered.env,
      SWITCHYARD_RUN_ID: String(run.id),
      SWITCHYARD_SERVICE: run.serviceName,
      SWITCHYARD_PERIOD: period,
      SWITCHYARD_SCHEDULER_URL: options.schedulerUrl,
    },
    labels: run.service.labels,
    logPath: path.join(options.logDir, runLogName(run.id)),
    timeoutSeconds: run.service.timeoutSeconds,
  };
  return { spec, rendered, rootTask };
}
