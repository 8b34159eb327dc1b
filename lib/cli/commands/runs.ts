import { randomUUID } from "node:crypto";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient, type ControlClient } from "@/lib/cli/commands/control/client";
import { runDetail, runsTable, periodOf, type RunView } from "@/lib/cli/commands/control/format";
import { expectArgs, idArg, limitFlag, print } from "@/lib/cli/commands/control/args";
import { printRunLog } from "@/lib/cli/commands/control/run-log";
import { exitCodeOf, waitForRun } from "@/lib/cli/commands/control/wait-for-run";
import type { FailedPeriodView } from "@/lib/control/rerun-failed";

// `switchyard runs list|show|log|rerun|force|cancel|rerun-failed` — what the dashboard's run pages and
// buttons do, over the control API (SWITCHYARD_URL, SWITCHYARD_TOKEN). Every action is audited as
// the token.

const flags = {
  service: { type: "string", help: "list, rerun-failed: only this service" },
  status: { type: "string", help: "list: queued, running, done, failed, cancelled or lost" },
  kind: { type: "string", help: "list, rerun-failed: daily or hourly" },
  hours: { type: "string", help: "rerun-failed: failures of the last this many hours (default 24, at most 168)" },
  "dry-run": { type: "boolean", help: "rerun-failed: list the failed periods, queue nothing" },
  from: { type: "string", help: "list: periods from this day (YYYY-MM-DD)" },
  to: { type: "string", help: "list: periods up to this day (YYYY-MM-DD)" },
  limit: { type: "string", help: "list: at most this many runs (default 50)" },
  "from-task": { type: "string", help: "rerun: start again from this failed task (its task id or family)" },
  reason: { type: "string", help: "why (goes into the audit log)" },
  wait: { type: "boolean", help: "rerun, force, show: block until the run ends; exit 0 done, 1 failed" },
  follow: { type: "boolean", help: "log: keep printing what the run appends until it ends" },
  json: { type: "boolean", help: "print the API's JSON answer instead of a table" },
} as const;

export const runs: Command = {
  name: "runs",
  summary: "List and inspect runs, read a run's log, re-run or force a period, cancel a run, re-run every recent failure at once (over the control API: SWITCHYARD_URL, SWITCHYARD_TOKEN). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage:
    "switchyard runs list [--service S] [--status X] | show ID [--wait] | log ID [--follow] | rerun SERVICE PERIOD|RUN_ID [--from-task T] [--wait] | force SERVICE PERIOD|RUN_ID [--wait] | cancel ID | rerun-failed [--hours 24] [--kind K] [--service S] [--dry-run]  [--reason R] [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    const json = f.json === true;
    const reason = f.reason as string | undefined;
    switch (sub) {
      case "list": {
        expectArgs(args, 0, "runs list");
        const limit = limitFlag(f.limit);
        const answer = await controlClient().get<{ runs: RunView[] }>("/runs", { service: f.service as string, status: f.status as string, kind: f.kind as string, from: f.from as string, to: f.to as string, limit });
        print(json ? answer : runsTable(answer.runs));
        return 0;
      }
      case "show": {
        const id = idArg(expectArgs(args, 1, "runs show ID")[0], "a run", "runs list");
        const client = controlClient();
        const run = f.wait ? await waitForRun(client, id, { quiet: json }) : (await client.get<{ run: RunView }>(`/runs/${id}`)).run;
        print(json ? { run } : runDetail(run));
        return f.wait ? exitCodeOf(run) : 0;
      }
      case "log": {
        const id = idArg(expectArgs(args, 1, "runs log ID [--follow]")[0], "a run", "runs list");
        if (json) throw new UsageError("runs log prints the log's text; for JSON use GET /api/v1/dashboard/runs/{id}/log");
        return printRunLog(controlClient(), id, { follow: f.follow === true });
      }
      case "rerun":
      case "force": {
        if (sub === "force" && f["from-task"]) throw new UsageError("--from-task goes with rerun, not force");
        const client = controlClient();
        const [service, period] = await periodArgs(client, sub, args);
        return enqueue(client, { service, period, force: sub === "force", fromTask: f["from-task"] as string | undefined, reason, wait: f.wait === true, json });
      }
      case "cancel": {
        const id = idArg(expectArgs(args, 1, "runs cancel ID")[0], "a run", "runs list");
        const answer = await controlClient().post<{ cancel: string; run: RunView }>(`/runs/${id}/cancel`, { reason });
        print(json ? answer : `run ${id}: ${answer.cancel === "cancelled" ? "cancelled" : "asked to stop (the runner stops it within seconds)"}`);
        return 0;
      }
      case "rerun-failed": {
        expectArgs(args, 0, "runs rerun-failed [--hours 24]");
        const hours = f.hours === undefined ? undefined : wholeHours(f.hours);
        const body = { hours, kind: f.kind as string | undefined, service: f.service as string | undefined, dryRun: f["dry-run"] === true, reason, requestKey: `cli-${randomUUID()}` };
        const answer = await controlClient().post<{ periods: FailedPeriodView[]; runs: RunView[]; message: string }>("/runs/rerun-failed", body);
        if (json) print(answer);
        else print([answer.message, ...answer.periods.map((p) => `  ${p.service} ${p.kind} ${p.period} (run ${p.failedRunId} ${p.status}${p.servicePaused ? ", service paused" : ""})`)].join("\n"));
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": use list, show, log, rerun, force, cancel or rerun-failed` : "say what to do: list, show, log, rerun, force, cancel or rerun-failed");
    }
  },
};

async function enqueue(client: ControlClient, o: { service: string; period: string; force: boolean; fromTask?: string; reason?: string; wait: boolean; json: boolean }): Promise<number> {
  const kind = o.period.includes("T") ? "hourly" : "daily";
  const body = { service: o.service, kind, period: o.period, force: o.force, fromTask: o.fromTask, reason: o.reason, requestKey: `cli-${randomUUID()}` };
  const answer = await client.post<{ run: RunView; created: boolean }>("/runs", body);
  const what = `${o.service} ${periodOf(answer.run)} (${kind})`;
  if (!o.json) print(answer.created ? `queued run ${answer.run.id}: ${o.force ? "forced " : ""}${what}` : `run ${answer.run.id} of ${what} was already queued; it goes first now`);
  if (!o.wait) {
    if (o.json) print(answer);
    return 0;
  }
  const run = await waitForRun(client, answer.run.id, { quiet: o.json });
  print(o.json ? { run, created: answer.created } : `run ${run.id}: ${run.status}${run.error ? ` — ${run.error}` : ""}`);
  return exitCodeOf(run);
}

/**
 * SERVICE PERIOD, or the id of a run (from `runs list`, a failure message, the run page's
 * address): that run's service and period — what an operator who just read `run 562: failed`
 * types next.
 */
async function periodArgs(client: ControlClient, sub: string, args: string[]): Promise<[string, string]> {
  if (args.length === 1 && /^\d+$/.test(args[0])) {
    const { run } = await client.get<{ run: RunView }>(`/runs/${args[0]}`);
    return [run.serviceName, periodOf(run)];
  }
  const [service, period] = expectArgs(args, 2, `runs ${sub} SERVICE PERIOD, or runs ${sub} RUN_ID`);
  return [service, period];
}

function wholeHours(value: unknown): number {
  if (typeof value !== "string" || !/^[1-9]\d{0,2}$/.test(value) || Number(value) > 168) throw new UsageError(`--hours: expected a whole number of hours from 1 to 168, got "${String(value)}"`);
  return Number(value);
}
