import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { controlClient } from "@/lib/cli/commands/control/client";
import { table } from "@/lib/cli/commands/control/format";
import { durationMinutesOf, expectArgs, idArg, limitFlag, print } from "@/lib/cli/commands/control/args";
import type { AuditEntry } from "@/lib/db/queries/select-audit-log";

// `switchyard audit list` — the Audit page over the control API (SWITCHYARD_URL, SWITCHYARD_TOKEN):
// who did what, when, why and what happened, newest first, with its filters, for a script or an
// operator at a terminal ("who re-ran acme last night?"). --json for an export.

const flags = {
  actor: { type: "string", help: "entries whose actor contains this (bob@example.com, token:nightly)" },
  action: { type: "string", help: "exactly this action (run.rerun, service.silence, auth.sign-in, ...)" },
  "target-type": { type: "string", help: "exactly this target type (run, service, runner, ...)" },
  "target-id": { type: "string", help: "exactly this target id (a run id, a service name, ...)" },
  outcome: { type: "string", help: "ok, denied, error or pending" },
  since: { type: "string", help: "entries since an instant (2026-12-07T00:00:00Z) or for the last 90m, 24h, 7d" },
  before: { type: "string", help: "the next page: entries older than this id (printed under a full page)" },
  limit: { type: "string", help: "at most this many entries (default 100, at most 500)" },
  json: { type: "boolean", help: "print the API's JSON answer instead of a table" },
} as const;

type Answer = { entries: AuditEntry[]; nextBefore: number | null };

export const audit: Command = {
  name: "audit",
  summary: "List the audit log, newest first, filtered as the Audit page (over the control API: SWITCHYARD_URL, SWITCHYARD_TOKEN). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage: "switchyard audit list [--actor A] [--action X] [--target-type T] [--target-id I] [--outcome O] [--since 24h] [--before ID] [--limit N] [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    if (sub !== "list") throw new UsageError(sub ? `unknown subcommand "${sub}": use list` : "say what to do: list");
    expectArgs(args, 0, "audit list [--actor A] [--action X] [--since 24h] ...");
    const query = {
      actor: f.actor as string | undefined,
      action: f.action as string | undefined,
      targetType: f["target-type"] as string | undefined,
      targetId: f["target-id"] as string | undefined,
      outcome: f.outcome as string | undefined,
      since: f.since === undefined ? undefined : sinceInstant(f.since as string),
      before: f.before === undefined ? undefined : idArg(f.before as string, "an audit entry", "audit list"),
      limit: limitFlag(f.limit),
    };
    const answer = await controlClient().get<Answer>("/audit", query);
    if (f.json === true) {
      print(answer);
      return 0;
    }
    const more = answer.nextBefore ? `\nolder entries: the same command with --before ${answer.nextBefore}` : "";
    print(auditTable(answer.entries) + more);
    return 0;
  },
};

/** --since: an ISO instant as it is, or 90m / 24h / 7d back from now. */
export function sinceInstant(value: string, now = Date.now()): string {
  const minutes = durationMinutesOf(value);
  if (minutes !== null) return new Date(now - minutes * 60_000).toISOString();
  if (/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d))?$/.test(value.trim()) && !Number.isNaN(Date.parse(value))) return value.trim().length === 10 ? `${value.trim()}T00:00:00Z` : value.trim();
  throw new UsageError(`--since: expected an instant like 2026-12-07T00:00:00Z, a date, or 90m, 24h, 7d; got "${value}"`);
}

function auditTable(entries: AuditEntry[]): string {
  if (entries.length === 0) return "no audit entries";
  return table(
    ["ID", "AT (UTC)", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REASON", "RESULT"],
    entries.map((e) => [e.id, e.at.slice(0, 19).replace("T", " "), e.actor, e.action, e.targetId ? `${e.targetType} ${e.targetName ?? e.targetId}` : e.targetType, e.outcome, e.reason, resultText(e.result)]),
  );
}

/** RESULT: what the action did (the run it queued, the period, what a sync changed) as compact JSON, cut at RESULT_CHARS; --json has it whole. */
const RESULT_CHARS = 120;
function resultText(result: unknown): string {
  const json = JSON.stringify(result, (_key, value: unknown) => (value === null ? undefined : value)) ?? "";
  if (json === "{}" || json === "") return "";
  return json.length > RESULT_CHARS ? `${json.slice(0, RESULT_CHARS - 1)}…` : json;
}
