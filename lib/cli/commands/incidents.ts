import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient } from "@/lib/cli/commands/control/client";
import { table } from "@/lib/cli/commands/control/format";
import { expectArgs, idArg, limitFlag, print } from "@/lib/cli/commands/control/args";
import { RESOLVED_PAGE, type IncidentView } from "@/lib/schemas/incidents";

// `switchyard incidents list|ack|resolve` — what the Incidents page shows and its two buttons, over
// the control API (SWITCHYARD_URL, SWITCHYARD_TOKEN). Acknowledge and resolve are audited as the token.

const flags = {
  all: { type: "boolean", help: "list: the latest resolved incidents too" },
  limit: { type: "string", help: `list --all: at most this many resolved incidents (default ${RESOLVED_PAGE})` },
  service: { type: "string", help: "list: only this service's incidents" },
  before: { type: "string", help: "list --all: the next page, resolved incidents resolved before incident ID" },
  reason: { type: "string", help: "ack, resolve: why (goes into the audit log)" },
  json: { type: "boolean", help: "print the API's JSON answer instead of a table" },
} as const;

type ActionAnswer = { incident: { id: number; status: string; rule: string; acknowledged_by: string | null; resolved_by: string | null } };

export const incidents: Command = {
  name: "incidents",
  summary: "List open incidents, acknowledge or resolve one (over the control API: SWITCHYARD_URL, SWITCHYARD_TOKEN). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage: "switchyard incidents list [--all] [--limit N] [--before ID] [--service S] | ack ID [--reason R] | resolve ID [--reason R]  [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    const json = f.json === true;
    switch (sub) {
      case "list": {
        expectArgs(args, 0, "incidents list [--all]");
        const limit = limitFlag(f.limit);
        const service = f.service as string | undefined;
        const before = f.before === undefined ? undefined : idArg(f.before as string, "an incident", "incidents list --all");
        const answer = await controlClient().get<{ incidents: IncidentView[] }>("/incidents", { status: f.all ? "all" : "open", limit, service, before });
        const resolved = answer.incidents.filter((i) => i.status === "resolved");
        const more = f.all && resolved.length === (limit ?? RESOLVED_PAGE) ? `\nolder: switchyard incidents list --all --before ${resolved[resolved.length - 1].id}${limit ? ` --limit ${limit}` : ""}${service ? ` --service ${service}` : ""}` : "";
        const none = (before ? "no older resolved incidents" : f.all ? "no incidents" : "no open incidents") + (service ? ` of ${service}` : "");
        print(json ? answer : incidentsTable(answer.incidents, none) + more);
        return 0;
      }
      case "ack":
      case "resolve": {
        const id = idArg(expectArgs(args, 1, `incidents ${sub} ID [--reason R]`)[0], "an incident", "incidents list");
        const action = sub === "ack" ? "acknowledge" : "resolve";
        const answer = await controlClient().post<ActionAnswer>(`/incidents/${id}/${action}`, { reason: f.reason as string | undefined });
        const i = answer.incident;
        print(json ? answer : sub === "ack" ? `incident ${id} (${i.rule}): acknowledged by ${i.acknowledged_by}` : `incident ${id} (${i.rule}): resolved by ${i.resolved_by}`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": use list, ack or resolve` : "say what to do: list, ack or resolve");
    }
  },
};


export function age(fromIso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(minutes / 1440)}d`;
}

function incidentsTable(rows: IncidentView[], none: string): string {
  if (rows.length === 0) return none;
  return table(
    ["ID", "STATUS", "SEVERITY", "RULE", "SERVICE", "PERIOD", "AGE", "ACKNOWLEDGED", "SUMMARY"],
    rows.map((i) => [i.id, i.status, i.severity, i.rule, i.serviceName, i.periodDate, age(i.openedAt), i.acknowledgedBy, i.summary]),
  );
}
