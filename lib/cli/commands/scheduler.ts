import type { Command } from "@/lib/cli/command";
import { runSchedulerDaemon } from "@/lib/scheduler/daemon";

// The scheduler's own daemon parses its flags (luigid's: --port, --address, --config).
export const scheduler: Command = {
  name: "scheduler",
  summary: "Run the Luigi-compatible central scheduler. Python Luigi workers point --scheduler-url (or [core] scheduler_url) at it.",
  usage: "switchyard scheduler [--port 8082] [--address 127.0.0.1] [--config luigi.cfg]",
  flags: {
    port: { type: "port", help: "port to listen on (default SCHEDULER_PORT or 8082)" },
    address: { type: "string", help: "address to bind (default SCHEDULER_HOST or 127.0.0.1)" },
    config: { type: "string", help: "a luigi.cfg-style file with [scheduler] and [resources] sections" },
  },
  run: (argv) => runSchedulerDaemon(argv),
};
