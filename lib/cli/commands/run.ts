import type { Command } from "@/lib/cli/command";
import { runPipelineCommand } from "@/lib/pipeline/cli";

// `switchyard run` is the pipeline SDK's command line; it parses its own (task-specific) flags.
export const run: Command = {
  name: "run",
  summary: "Run a TypeScript pipeline task and its dependencies against a scheduler, like `luigi --module`.",
  usage: "switchyard run --module <file> <Family> [--param value ...] [--workers N] [--scheduler-url URL | --local-scheduler] [--force | --force-task X]",
  flags: {
    module: { type: "string", help: "the TypeScript file that defines the task (with --help: list its tasks and parameters)" },
    workers: { type: "string", help: "number of parallel worker processes (default 1)" },
    "scheduler-url": { type: "string", help: "the central scheduler (default http://127.0.0.1:8082)" },
    "local-scheduler": { type: "boolean", help: "use an in-process scheduler instead" },
    force: { type: "boolean", help: "re-run the task and everything under it even if complete" },
    "force-task": { type: "string", help: "re-run the tasks of this family or id, and what depends on them" },
  },
  ownsHelp: (argv) => argv.some((a) => a === "--module" || a.startsWith("--module=")),
  run: (argv) => runPipelineCommand(argv),
};
