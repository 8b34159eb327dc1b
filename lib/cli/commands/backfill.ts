import { randomUUID } from "node:crypto";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient } from "@/lib/cli/commands/control/client";
import { runsTable, type RunView } from "@/lib/cli/commands/control/format";
import { print } from "@/lib/cli/commands/control/args";

// `switchyard backfill SERVICE FROM TO` — one run per period of a date range, after the
// scheduled runs in the queue; --dry-run lists the periods and queues nothing.

const flags = {
  hourly: { type: "boolean", help: "backfill hourly periods (default: daily)" },
  force: { type: "boolean", help: "force: run tasks again even when their outputs exist" },
  "dry-run": { type: "boolean", help: "list the periods it would queue; change nothing" },
  reason: { type: "string", help: "why (goes into the audit log)" },
  json: { type: "boolean", help: "print the API's JSON answer" },
} as const;

export const backfill: Command = {
  name: "backfill",
  summary: "Queue one run per period of a date range (service-local days, inclusive), over the control API. Exit codes: 0 done, 2 usage, 3 refused.",
  usage: "switchyard backfill SERVICE FROM TO [--hourly] [--force] [--dry-run] [--reason R] [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    if (positionals.length !== 3) throw new UsageError("expected: switchyard backfill SERVICE FROM TO (days as YYYY-MM-DD)");
    const [service, from, to] = positionals;
    const dryRun = f["dry-run"] === true;
    const answer = await controlClient().post<{ periods: string[]; runs: RunView[] }>("/backfill", {
      service,
      kind: f.hourly ? "hourly" : "daily",
      from,
      to,
      force: f.force === true,
      dryRun,
      reason: f.reason,
      requestKey: dryRun ? undefined : `cli-${randomUUID()}`,
    });
    if (f.json) print(answer);
    else if (dryRun) print(answer.periods.length ? `would queue ${answer.periods.length} run(s) of ${service}:\n  ${answer.periods.join("\n  ")}` : `no period of ${service} between ${from} and ${to} has started yet`);
    else print(answer.runs.length ? `queued ${answer.runs.length} run(s):\n${runsTable(answer.runs)}` : `nothing to queue for ${service} between ${from} and ${to}`);
    return 0;
  },
};
