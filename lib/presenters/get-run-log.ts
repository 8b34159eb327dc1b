import fs from "node:fs/promises";
import type pg from "pg";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";
import { runLogDays } from "@/lib/config/env";
import { LogOutsideFolder, openRunLog } from "@/lib/presenters/run-log-file";

// A run's log, read from the file the runner wrote (runs.log_path): the tail on first load, then
// whatever was appended since `offset` — the page polls this while the run is running. Reads are
// capped so a runaway log cannot be shipped to the browser in one response.

export const LOG_TAIL_BYTES = 64 * 1024;
export const LOG_CHUNK_BYTES = 256 * 1024;

export type RunLog = {
  runId: number;
  path: string | null;
  /** the file's size when read; pass it back as `offset` to get only what was appended */
  size: number;
  /** where `text` starts in the file */
  start: number;
  text: string;
  missing: boolean;
  /** why the file was not read although it exists (outside the log folder) */
  refused?: string;
  /** missing, and the run ended longer ago than the runners keep logs (SWITCHYARD_RUN_LOG_DAYS): the days */
  deletedAfterDays?: number;
  /** the host whose runner wrote the log: a web server that does not share its log folder cannot read it */
  host: string | null;
  running: boolean;
};

/** A missing log of a run that ended before the runners' retention: the runners deleted it (lib/runner/run-logs.ts). */
function deletedAfter(finishedAt: Date | null): { deletedAfterDays?: number } {
  const days = runLogDays();
  if (!finishedAt || days === 0 || Date.now() - finishedAt.getTime() < days * 86_400_000) return {};
  return { deletedAfterDays: days };
}

export async function getRunLog(pool: pg.Pool, runId: number, offset: number | null): Promise<RunLog | null> {
  const found = await selectRunLogPath(pool, runId);
  if (!found) return null;
  const row = { log_path: found.path, status: found.status };
  const running = row.status === "running" || row.status === "queued";
  const empty = { runId, path: row.log_path, host: found.host, size: 0, start: 0, text: "", running };
  if (!row.log_path) return { ...empty, missing: true };
  let handle: fs.FileHandle;
  try {
    const opened = await openRunLog(row.log_path);
    if (!opened) return { ...empty, missing: true, ...deletedAfter(found.finishedAt) };
    handle = opened;
  } catch (error) {
    if (error instanceof LogOutsideFolder) return { ...empty, missing: true, refused: error.message };
    return { ...empty, missing: true };
  }
  try {
    const { size } = await handle.stat();
    // A file that shrank was rotated or rewritten: start again from its tail.
    const from = offset === null || offset > size ? Math.max(0, size - LOG_TAIL_BYTES) : offset;
    const length = Math.min(size - from, LOG_CHUNK_BYTES);
    const buffer = Buffer.alloc(length);
    if (length > 0) await handle.read(buffer, 0, length, from);
    return { runId, path: row.log_path, host: found.host, size: from + length, start: from, text: buffer.toString("utf8"), missing: false, running };
  } finally {
    await handle.close();
  }
}
