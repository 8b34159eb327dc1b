import fs from "node:fs";
import path from "node:path";
import { runLogFolder } from "@/lib/config/env";

// Every read of a run's log goes through here. runs.log_path is written by a runner, but the web
// app must not open whatever path a row names (a tampered row, a symlink planted in the folder):
// only regular files whose real path lies inside the runners' log folder are read —
// runLogFolder (lib/config/env.ts): SWITCHYARD_LOG_DIR, or $SWITCHYARD_HOME/runs, where the runners write.

export class LogOutsideFolder extends Error {}


/** The log's real path when it may be read; null when it does not exist; throws LogOutsideFolder when it is not ours to read. */
export async function resolveRunLog(logPath: string, folder = runLogFolder()): Promise<string | null> {
  let real: string;
  try {
    real = await fs.promises.realpath(logPath);
  } catch {
    return null;
  }
  const root = await fs.promises.realpath(/* turbopackIgnore: true */ folder).catch(() => path.resolve(/* turbopackIgnore: true */ folder));
  if (!real.startsWith(root + path.sep)) throw new LogOutsideFolder(`the log path ${logPath} is outside the runners' log folder ${root}; it is not shown`);
  const st = await fs.promises.stat(real);
  return st.isFile() ? real : null;
}

/**
 * The log, opened for reading, when it may be read (resolveRunLog); null when it does not exist.
 * Opened with O_NOFOLLOW: a log swapped for a symlink between the check and the open is refused,
 * not followed out of the folder.
 */
export async function openRunLog(logPath: string, folder = runLogFolder()): Promise<fs.promises.FileHandle | null> {
  const real = await resolveRunLog(logPath, folder);
  if (!real) return null;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(/* turbopackIgnore: true */ real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new LogOutsideFolder(`the log path ${logPath} became a symlink while it was opened; it is not shown`);
    return null;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    return null;
  }
  return handle;
}
