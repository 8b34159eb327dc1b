import type { ControlClient } from "@/lib/cli/commands/control/client";
import { EXIT } from "@/lib/cli/commands/control/client";
import type { RunView } from "@/lib/cli/commands/control/format";

// --wait: poll the run until it ends, then answer with the exit code scripts rely on:
// 0 done; 1 failed, lost or cancelled. Progress (each status on the way) goes to stderr so stdout
// stays the answer; the end is said once, by the caller, on stdout.

const ended = new Set(["done", "failed", "cancelled", "lost"]);

export async function waitForRun(client: ControlClient, id: number, options: { intervalMs?: number; quiet?: boolean } = {}): Promise<RunView> {
  let last = "";
  for (;;) {
    const { run } = await client.get<{ run: RunView }>(`/runs/${id}`);
    if (ended.has(run.status)) return run;
    if (!options.quiet && run.status !== last) process.stderr.write(`run ${id}: ${run.status}\n`);
    last = run.status;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 2000));
  }
}

export const exitCodeOf = (run: Pick<RunView, "status">): number => (run.status === "done" ? EXIT.done : EXIT.failed);
