import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient } from "@/lib/cli/commands/control/client";
import { table } from "@/lib/cli/commands/control/format";
import { expectArgs, print } from "@/lib/cli/commands/control/args";
import type { RunnerHealth } from "@/lib/db/hosts/runners";
import { runnerPlace } from "@/lib/presenters/runner-place";

// `switchyard runners list|pause|resume|forget` — the runners of the home page's component health,
// and its buttons (lib/control/runner-actions.ts), over the control API (SWITCHYARD_URL,
// SWITCHYARD_TOKEN). Each action is audited as the token. (`switchyard runner` is the daemon.)

const flags = {
  reason: { type: "string", help: "pause, resume, forget: why (goes into the audit log)" },
  json: { type: "boolean", help: "print the API's JSON answer instead of a table" },
} as const;

/** GET /runners' lastStopped: the runner that stopped (or was forgotten) last */
type LastStopped = { id: string; host: string; at: string };

type Answer = { runner: string; host: string; runningRuns: number; message: string; heartbeatAgeSeconds?: number; changed?: boolean };

export const runners: Command = {
  name: "runners",
  summary:
    "List the runners (alive, or down without having stopped); pause one (it finishes its runs and claims nothing new: drain its host) or resume it; forget one that is gone for good, such as a pod lost with its node (over the control API: SWITCHYARD_URL, SWITCHYARD_TOKEN). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage: "switchyard runners list | pause ID | resume ID | forget ID  [--reason R] [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    const json = f.json === true;
    switch (sub) {
      case "list": {
        expectArgs(args, 0, "runners list");
        const answer = await controlClient().get<{ runners: RunnerHealth[]; lastStopped?: LastStopped | null }>("/runners");
        print(json ? answer : runnersTable(answer.runners, answer.lastStopped ?? null)); // --json: the API's answer, as every other list
        return 0;
      }
      case "pause":
      case "resume":
      case "forget": {
        const [id] = expectArgs(args, 1, `runners ${sub} ID [--reason R]`);
        const answer = await controlClient().post<Answer>(`/runners/${encodeURIComponent(id)}/${sub}`, { reason: f.reason as string | undefined });
        const note = sub === "forget" ? ` (silent ${answer.heartbeatAgeSeconds} s)` : answer.changed === false ? ` (it already was)` : "";
        print(json ? answer : `${answer.message}${note}`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": use list, pause, resume or forget` : "say what to do: list, pause, resume or forget");
    }
  },
};

/** "by bob@example.com at 2026-12-06T17:40:00Z: disk swap" */
function pauseText(pause: RunnerHealth["pause"]): string {
  if (!pause?.by) return "paused";
  return `by ${pause.by}${pause.at ? ` at ${pause.at.slice(0, 19)}Z` : ""}${pause.reason ? `: ${pause.reason}` : ""}`;
}

function runnersTable(rows: RunnerHealth[], lastStopped: LastStopped | null): string {
  if (rows.length === 0) return lastStopped ? `no runner is running; ${lastStopped.id} on ${lastStopped.host} was the last to stop (or be forgotten), at ${lastStopped.at.slice(0, 19)}Z` : "no runner has reported";
  return table(
    ["ID", "HOST", "STATUS", "LAST HEARTBEAT", "RUNNING", "PAUSED"],
    rows.map((r) => [r.id, runnerPlace(r), r.status, `${r.heartbeatAgeSeconds} s ago`, r.runningRuns, r.paused ? pauseText(r.pause) : null]),
  );
}
