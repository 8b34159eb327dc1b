import type { ControlClient } from "@/lib/cli/commands/control/client";
import { CliError } from "@/lib/cli/errors";
import { EXIT } from "@/lib/cli/commands/control/client";
import type { RunLog } from "@/lib/presenters/get-run-log";

// `switchyard runs log ID [--follow]`: a run's log from a terminal, read through the dashboard's
// log route (GET /api/v1/dashboard/runs/{id}/log), so it works wherever the run page does — the
// runner's own disk, a runner pod over HTTP, or the end kept in the database once that pod is
// gone. The text goes to stdout as it is; what the page says above it (only the end kept, a
// runner that does not answer, a log already deleted) goes to stderr.

/** Prints the log's end (the last 64 KiB, as the page shows); with `follow`, what is appended until the run ends. */
export async function printRunLog(client: ControlClient, id: number, options: { follow: boolean; intervalMs?: number; write?: (text: string) => void }): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  let log = await client.get<RunLog>(`/dashboard/runs/${id}/log`);
  if (log.missing) {
    if (log.running && options.follow) process.stderr.write(`run ${id}: no log yet (queued, or just launched); waiting for it\n`);
    else throw new CliError(missingMessage(id, log), EXIT.failed);
  }
  if (log.kept) process.stderr.write(`${log.kept}\n`);
  else if (log.start > 0) process.stderr.write(`(the last ${Math.round((log.size - log.start) / 1024)} KiB of ${log.size.toLocaleString("en")} bytes; the run page's Download has it all)\n`);
  write(log.text);
  let more = false; // a full chunk came back: there may be more right now
  while (options.follow && (log.running || more)) {
    if (!more) await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2000));
    const from = log.missing ? null : log.size;
    log = await client.get<RunLog>(`/dashboard/runs/${id}/log`, from === null ? {} : { offset: from });
    more = !log.missing && log.more;
    write(log.text);
  }
  // followed a queued run that ended without a log (cancelled before it started)
  if (log.missing) throw new CliError(missingMessage(id, log), EXIT.failed);
  return EXIT.done;
}

function missingMessage(id: number, log: RunLog): string {
  if (log.refused) return `run ${id}: its log cannot be read: ${log.refused}`;
  if (log.deletedAfterDays) return `run ${id}: its log was deleted, as every log is ${log.deletedAfterDays} days after its run (SWITCHYARD_RUN_LOG_DAYS)`;
  if (!log.path) return `run ${id}: it has no log (it was never launched)`;
  return `run ${id}: its log ${log.path} is not there${log.host ? ` (written on ${log.host})` : ""}`;
}
