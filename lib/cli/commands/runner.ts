import type { Command } from "@/lib/cli/command";
import { runRunnerDaemon } from "@/lib/runner/daemon";
import { runnerFlagHelp } from "@/lib/schemas/runner-args";

// The runner's own daemon (lib/runner/daemon.ts) parses its flags; the list here is the same
// one it validates, so --help cannot disagree with what the daemon accepts.
export const runner: Command = {
  name: "runner",
  summary: "Trigger due daily and hourly runs, claim them from the shared queue, launch and watch them, and sample this host. Needs DATABASE_URL.",
  usage: "switchyard runner [--services switchyard.services.json] [--max-running N] [--catch-up-days N] [--clock-speed X] [options]",
  flags: runnerFlagHelp,
  run: (argv) => runRunnerDaemon(argv),
};
