import fs from "node:fs";
import type { ProcessOutcome, RootView } from "@/lib/runner/outcome";

// What a process that failed on its own said last — "ModuleNotFoundError: No module named
// 'pipelines'", "switchyard run: --force-task X matches no task under …" — added to the run's
// error, so the run page, the incident and the Slack message say why without opening the log.
// Only where nothing says it better: a root task FAILED or DISABLED, or Luigi's "a task failed"
// exit, has its tasks' own exceptions (task_failures); a kill, a timeout or a cancel has its own words.

/** How much of the log's end is read, and how long the quoted line may be. */
const TAIL_BYTES = 8192;
const LINE_CHARS = 300;

/**
 * Luigi's retcodes whose meaning the error already names and whose details are elsewhere: a task
 * failed (its exception is in task_failures), missing external data, a scheduling error, not run.
 * Their last line is Luigi's summary ("This progress looks :( because …"), which adds nothing.
 */
const EXPLAINED_EXIT_CODES = new Set([10, 20, 25, 30, 35]);

/** Whether a failed run's error should quote the last thing its process wrote. */
export function wantsLastWords(p: ProcessOutcome, root: RootView): boolean {
  if (p.cancelled || p.timedOut || p.launchError || p.signal) return false;
  if (p.exitCode === null || p.exitCode === 0 || (p.exitCode > 128 && p.exitCode < 160)) return false;
  if (EXPLAINED_EXIT_CODES.has(p.exitCode)) return false;
  if (root.kind === "found" && ["FAILED", "DISABLED"].includes(root.status.toUpperCase())) return false;
  return true;
}

/**
 * The last line of `text` that the process wrote: not blank, not the runner's own notes
 * ("[switchyard …] ended: exit code 2"), not a banner ("===== Luigi Execution Summary =====").
 */
export function lastWordsOf(text: string): string | null {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("[switchyard ") || /^=+ .* =+$/.test(line)) continue;
    return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
  }
  return null;
}

/** The last words in the run's log file, or null (no log, nothing in it, unreadable). */
export async function readLastWords(logPath: string): Promise<string | null> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(logPath, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return lastWordsOf(buffer.toString("utf8"));
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
