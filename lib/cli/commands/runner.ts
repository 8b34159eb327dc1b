import { loadPart } from "@/lib/cli/load-part";
import type { Command } from "@/lib/cli/command";

// The runner's own daemon parses its flags.
export const runner: Command = {
  name: "runner",
  summary: "Trigger due daily and hourly runs, claim them from the shared queue, launch and watch them, and sample this host.",
  usage: "switchyard runner [--services switchyard.services.json] [--scheduler-url URL] [--concurrency N]",
  flags: {
    services: { type: "string", help: "services config file to sync into the database" },
    "scheduler-url": { type: "string", help: "the scheduler's URL (default http://127.0.0.1:8082)" },
    concurrency: { type: "string", help: "runs this runner may have running at once" },
  },
  async run(argv) {
    const runRunnerDaemon = await loadPart<(argv: string[]) => Promise<number>>("lib/runner/daemon.ts", "runRunnerDaemon");
    return runRunnerDaemon(argv);
  },
};
