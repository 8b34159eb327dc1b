import { UsageError } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { ConfigError } from "@/lib/config/env";
import { CliError } from "@/lib/cli/errors";

// `switchyard <command>`: each command lives in its own file and is loaded only when used,
// so `switchyard run` does not pay for Next.js and `switchyard web` does not load pipelines.

const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import("@/lib/cli/commands/start")).start,
  web: async () => (await import("@/lib/cli/commands/web")).web,
  scheduler: async () => (await import("@/lib/cli/commands/scheduler")).scheduler,
  runner: async () => (await import("@/lib/cli/commands/runner")).runner,
  run: async () => (await import("@/lib/cli/commands/run")).run,
  migrate: async () => (await import("@/lib/cli/commands/migrate")).migrate,
  doctor: async () => (await import("@/lib/cli/commands/doctor")).doctor,
  user: async () => (await import("@/lib/cli/commands/user")).user,
  runs: async () => (await import("@/lib/cli/commands/runs")).runs,
  backfill: async () => (await import("@/lib/cli/commands/backfill")).backfill,
  services: async () => (await import("@/lib/cli/commands/services")).services,
  incidents: async () => (await import("@/lib/cli/commands/incidents")).incidents,
  runners: async () => (await import("@/lib/cli/commands/runners")).runners,
  audit: async () => (await import("@/lib/cli/commands/audit")).audit,
};

const summaries: Record<string, string> = {
  start: "run everything on this machine: database, migrations, scheduler, runner, web",
  web: "serve the dashboard and the control API (/api/v1)",
  scheduler: "run the Luigi-compatible central scheduler (luigid's port, 8082)",
  runner: "trigger, queue and launch runs; sample this host",
  run: "run a TypeScript pipeline task and its dependencies (like `luigi --module`)",
  migrate: "apply database migrations",
  doctor: "check the database, migrations, ports and test browser, and say how to fix each problem",
  user: "add users with a role, list them, make API tokens for scripts",
  runs: "list and inspect runs; rerun, force or cancel one; re-run every recent failure (control API: SWITCHYARD_URL, SWITCHYARD_TOKEN)",
  backfill: "queue one run per period of a date range, or --dry-run to list them",
  services: "list, show, pause, resume services; silence their alerts for a while; sync or validate a services file",
  incidents: "list open incidents (or their history, by service); acknowledge or resolve one (control API)",
  runners: "list runners; pause or resume one (drain a host); forget one lost with its node (control API)",
  audit: "list the audit log: who did what, when, why, with the Audit page's filters (control API)",
};

export function usage(): string {
  const lines = Object.entries(summaries).map(([name, text]) => `  ${name.padEnd(10)} ${text}`);
  return `Usage: switchyard <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun \`switchyard <command> --help\` for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`switchyard: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  if ((rest.includes("--help") || rest.includes("-h")) && !command.ownsHelp?.(rest)) {
    const { formatFlags } = await import("@/lib/cli/args");
    console.log(`Usage: ${command.usage}\n\n${command.summary}\n${Object.keys(command.flags).length ? "\nOptions:\n" + formatFlags(command.flags) : ""}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportFailure(name, error);
  }
}

/** Expected failures get one line; anything else keeps its stack for the bug report. */
export function reportFailure(name: string, error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`switchyard ${name}: ${error.message} (see switchyard ${name} --help)`);
    return 2;
  }
  if (error instanceof ConfigError) {
    console.error(`switchyard ${name}: invalid configuration — ${error.problems.join("; ")}`);
    return 2;
  }
  if (error instanceof CliError) {
    console.error(`switchyard ${name}: ${error.message}`);
    return error.exitCode;
  }
  if ((error as { code?: unknown })?.code === "42P01") {
    // a command that reads the database directly (user) before any `start` or `migrate` created the tables
    console.error(`switchyard ${name}: the database has no Switchyard tables yet (${(error as Error).message}): run \`switchyard migrate\` (or \`switchyard start\` once), then try again`);
    return 2;
  }
  console.error(`switchyard ${name}: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
}
