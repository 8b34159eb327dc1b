import path from "node:path";
import { parseArgs, UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { CliError } from "@/lib/cli/errors";
import { controlClient, EXIT } from "@/lib/cli/commands/control/client";
import { table } from "@/lib/cli/commands/control/format";
import { durationMinutesOf, expectArgs, print } from "@/lib/cli/commands/control/args";
import type { ServiceRecord } from "@/lib/db/services/service-record";
import { loadServicesFile, ServicesFileError } from "@/lib/runner/services/load-services-file";
import { preflightServices } from "@/lib/runner/services/preflight";
import { describeLimits, describeNotInFile, describeUntiedCommands, type ServiceChange } from "@/lib/runner/services/sync-services-file";
import type { LimitChange } from "@/lib/db/services/sync-services";

// `switchyard services list|show|pause|resume|sync|validate`. validate reads the file on this
// machine and needs no server; the others go over the control API. sync sends the file as read
// here (workingDirectory made absolute against the file) and the server writes what changed to
// the audit log as the token; a running runner also re-reads its own file on SIGHUP.

const flags = {
  reason: { type: "string", help: "why (goes into the audit log)" },
  for: { type: "string", help: "silence: how long, like 90m, 4h or 2d (at most 7d)" },
  json: { type: "boolean", help: "print JSON instead of a table" },
  try: { type: "boolean", help: "validate: also check each command as a run would start it (its program on the run's PATH; for python -m luigi, that Luigi and the --module import with the run's environment), without running a task" },
} as const;

export const services: Command = {
  name: "services",
  summary: "List, inspect, pause and resume services; silence their alerts for a while; sync a services file into the running system; validate one (every problem with its JSON path). Exit codes: 0 done, 1 failed, 2 usage, 3 refused.",
  usage: "switchyard services list | show NAME | pause NAME... | resume NAME... | silence NAME... --for 4h | unsilence NAME... | sync FILE | validate FILE [--try]  [--reason R] [--json]",
  flags,
  async run(argv) {
    const { flags: f, positionals } = parseArgs(argv, flags);
    const [sub, ...args] = positionals;
    const json = f.json === true;
    const reason = f.reason as string | undefined;
    const one = (usage: string) => expectArgs(args, 1, `services ${usage}`)[0];
    switch (sub) {
      case "list": {
        expectArgs(args, 0, "services list");
        const answer = await controlClient().get<{ services: ListedService[] }>("/services");
        print(json ? answer : servicesTable(answer.services));
        return 0;
      }
      case "show": {
        const answer = await controlClient().get<{ service: ServiceRecord }>(`/services/${encodeURIComponent(one("show NAME"))}`);
        print(json ? answer : JSON.stringify(answer.service, null, 2));
        return 0;
      }
      case "pause":
      case "resume": {
        // several names at once: the services a sync named as not in the file, for instance
        if (args.length === 0) throw new UsageError(`expected: switchyard services ${sub} NAME [NAME...]`);
        const client = controlClient();
        for (const name of args) {
          const answer = await client.post<{ changed: boolean }>(`/services/${encodeURIComponent(name)}/${sub}`, { reason });
          print(json ? { service: name, ...answer } : `${name}: ${sub === "pause" ? "paused" : "resumed"}${answer.changed ? "" : " (it already was)"}`);
        }
        return 0;
      }
      case "silence":
      case "unsilence": {
        if (args.length === 0) throw new UsageError(`expected: switchyard services ${sub} NAME [NAME...]${sub === "silence" ? " --for 4h" : ""}`);
        const minutes = sub === "silence" ? durationMinutes(f.for) : undefined;
        if (sub === "unsilence" && f.for !== undefined) throw new UsageError("--for is for silence: unsilence ends the silence now");
        const client = controlClient();
        for (const name of args) {
          const route = `/services/${encodeURIComponent(name)}/${sub}`;
          if (sub === "silence") {
            const answer = await client.post<{ silence: { endsAt: string }; replaced: { endsAt: string } | null }>(route, { minutes, reason });
            print(json ? answer : `${name}: alerts silenced until ${answer.silence.endsAt}${answer.replaced ? ` (it was silenced until ${answer.replaced.endsAt})` : ""}`);
          } else {
            const answer = await client.post<{ changed: boolean; released: number }>(route, { reason });
            print(json ? answer : answer.changed ? `${name}: silence ended; ${answer.released} held message(s) of incidents still open queued` : `${name}: was not silenced`);
          }
        }
        return 0;
      }
      case "sync": {
        const file = path.resolve(one("sync FILE"));
        const parsed = readFile(file);
        const answer = await controlClient().post<{ services: number; changes: ServiceChange[]; limits?: LimitChange[]; notInFile: string[] }>("/services/sync", { ...parsed, source: file, reason });
        if (json) print(answer);
        else {
          const lines = [...answer.changes.map((c) => `${c.service}: ${c.change === "added" ? "added" : c.fields.join(", ")}`), ...describeLimits(answer.limits ?? [])];
          print([`synced ${answer.services} service(s) from ${file}`, ...lines.map((l) => `  ${l}`)].join("\n") + (lines.length ? "" : "\n  nothing changed"));
          const others = describeNotInFile(answer.notInFile ?? [], file);
          if (others) process.stderr.write(`${others}\n`);
        }
        return 0;
      }
      case "validate": {
        const file = path.resolve(one("validate FILE"));
        const parsed = readFile(file);
        const notes = [describeUntiedCommands(parsed)].filter((n): n is string => n !== null);
        const names = parsed.services.map((s) => s.name);
        const checks = f.try === true ? await preflightServices(parsed.services) : null;
        const failed = checks?.filter((c) => !c.ok).length ?? 0;
        if (json) print({ valid: true, services: names, notes, ...(checks ? { checks } : {}) });
        else
          print(
            [
              `${file} is valid: ${names.length} service(s) (${names.join(", ")})`,
              ...notes.map((n) => `note: ${n}`),
              ...(checks ?? []).map((c) => `${c.ok ? "ok     " : "PROBLEM"} ${c.service} ${c.kind}: ${c.detail}`),
              ...(checks ? [failed ? `${failed} of ${checks.length} command(s) would fail to start as they are` : `every command (${checks.length}) would start`] : []),
            ].join("\n"),
          );
        return failed ? EXIT.failed : 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}": use list, show, pause, resume, silence, unsilence, sync or validate` : "say what to do: list, show, pause, resume, silence, unsilence, sync or validate");
    }
  },
};

/** A bad file is every problem on its own line, each with its JSON path, and exit code 2. */
function readFile(file: string) {
  try {
    return loadServicesFile(file);
  } catch (error) {
    if (error instanceof ServicesFileError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

type ListedService = ServiceRecord & { silence?: { endsAt: string } | null };

function servicesTable(services: ListedService[]): string {
  if (services.length === 0) return "no services";
  return table(
    ["NAME", "TIME ZONE", "DAILY", "HOURLY", "STATE", "LAUNCH", "SOURCE", "ALERTS"],
    services.map((s) => [
      s.name,
      s.timeZone,
      s.dailyTime,
      s.hourly ? `:${String(s.hourlyMinute).padStart(2, "0")}` : "",
      !s.enabled ? "disabled" : s.paused ? "paused" : "active",
      s.launch === false ? "observe only" : "runner",
      s.source,
      s.silence ? `silenced until ${s.silence.endsAt.slice(0, 16).replace("T", " ")}Z` : "on",
    ]),
  );
}

/** --for: "90m", "4h", "2d" (or a bare number of minutes) as minutes, from 1 minute to a week. */
function durationMinutes(value: unknown): number {
  if (value === undefined) throw new UsageError("say how long: --for 90m, --for 4h or --for 2d (at most 7d)");
  const minutes = typeof value === "string" ? durationMinutesOf(value, true) : null;
  if (minutes === null || minutes < 1 || minutes > 7 * 1440) throw new UsageError(`--for: expected a duration like 90m, 4h or 2d, from 1m to 7d; got "${String(value)}"`);
  return minutes;
}
