import fs from "node:fs";
import path from "node:path";

// Run logs (`run-<id>.log` in the log folder, and its `.1`, `.2` when a chatty run rotated it:
// launchers/local/rotating-log.ts) are deleted once nothing has written to them for `days`: a
// fleet of hourlies writes tens of thousands a day, and no runner may fill its host's disk. By
// the files' own mtime, not the database: one pass over the folder an hour, it works while
// PostgreSQL is away, and a log still being written to is never old. The logs of runs this
// runner still has are kept whatever their age (a run silent for that long). Several runners on
// one host share the folder: a file another one deleted first is not an error.

const RUN_LOG = /^run-(\d+)\.log(?:\.\d+)?$/;

/** The name of a run's log in the log folder (its rotated parts add .1, .2). */
export function runLogName(runId: number): string {
  return `run-${runId}.log`;
}

export type PrunedLogs = { deleted: number; bytes: number };

export async function pruneRunLogs(dir: string, days: number, keepRunIds: ReadonlySet<number>, now = Date.now()): Promise<PrunedLogs> {
  const pruned: PrunedLogs = { deleted: 0, bytes: 0 };
  const cutoff = now - days * 86_400_000;
  let folder: fs.Dir;
  try {
    folder = await fs.promises.opendir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return pruned; // no run has written a log yet
    throw error;
  }
  for await (const entry of folder) {
    const match = RUN_LOG.exec(entry.name);
    if (!match || !entry.isFile() || keepRunIds.has(Number(match[1]))) continue;
    const file = path.join(dir, entry.name);
    try {
      const st = await fs.promises.lstat(file);
      if (st.mtimeMs >= cutoff) continue;
      await fs.promises.unlink(file);
      pruned.deleted++;
      pruned.bytes += st.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return pruned;
}
