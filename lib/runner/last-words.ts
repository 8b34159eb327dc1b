import fs from "node:fs";

// What a process that failed on its own said last — "ModuleNotFoundError: No module named
// 'pipelines'", "switchyard run: --force-task X matches no task under …" — read from the end of
// its log for the run's error (outcome.ts decides when it is quoted: wantsLastWords).

/** How much of the log's end is read, and how long the quoted line may be. */
const TAIL_BYTES = 8192;
const LINE_CHARS = 300;

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
