import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient } from "@/lib/cli/commands/control/client";
import { table } from "@/lib/cli/commands/control/format";
import { expectArgs, print } from "@/lib/cli/commands/control/args";
import type { Health } from "@/lib/health/get-health";

// `switchyard runners list|forget` — the runners of the home page's component health, and its
// Forget button (lib/control/forget-runner.ts), over the control API (SWITCHYARD_URL,
// SWITCHYARD_TOKEN). Forgetting is audited as the token. (`switchyard runner` is the daemon.)

const flags = {
  reason: { type: "string", help: "forget: why (goes into the audit log)" },
  json: { type: "boolean", help: "print the API's JSON answer instead of a table" },
} as const;

type ForgetAnswer = { runner: string; host: string; heartbeatAgeSeconds: number; runningRuns: number; message: string };

export const runners: Command = {
  name: "runners",
  summary:
    "List the runners (alive, or down without having stopped) and forget one that is gone for good, such as a pod lost with its node (over the control API: SWITCHYARD_URL, SWITCHYARD_TOKEN). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage: "switchyard runners list | forget ID [--reason R]  [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    const json = f.json === true;
    switch (sub) {
      case "list": {
        expectArgs(args, 0, "runners list");
        const health = await controlClient().get<Health>("/health");
        print(json ? health.runners : runnersTable(health.runners));
        return 0;
      }
      case "forget": {
        const [id] = expectArgs(args, 1, "runners forget ID [--reason R]");
        const answer = await controlClient().post<ForgetAnswer>(`/runners/${encodeURIComponent(id)}/forget`, { reason: f.reason as string | undefined });
        print(json ? answer : `${answer.message} (silent ${answer.heartbeatAgeSeconds} s)`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": use list or forget` : "say what to do: list or forget");
    }
  },
};

function runnersTable(rows: Health["runners"]): string {
  if (rows.length === 0) return "no runner has reported";
  return table(
    ["ID", "HOST", "STATUS", "LAST HEARTBEAT"],
    rows.map((r) => [r.id, r.host, r.status, `${r.heartbeatAgeSeconds} s ago`]),
  );
}
