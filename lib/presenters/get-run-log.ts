import type pg from "pg";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";
import { runLogDays } from "@/lib/config/env";
import { utcMinute } from "@/lib/time/zoned-time";
import { LogOutsideFolder } from "@/lib/presenters/run-log-file";
import { LogUnavailable, openRunLogSource, type RunLogSource } from "@/lib/presenters/run-log-source";

// A run's log, read from the file the runner wrote (runs.log_path): the tail on first load, then
// whatever was appended since `offset` — the page polls this while the run is running. Reads are
// capped so a runaway log cannot be shipped to the browser in one response.

export const LOG_TAIL_BYTES = 64 * 1024;
export const LOG_CHUNK_BYTES = 256 * 1024;

export type RunLog = {
  runId: number;
  path: string | null;
  /** where `text` ends in the file (its size, unless `more`); pass it back as `offset` to get only what was appended */
  size: number;
  /** the file had more than one answer's worth past `offset`: ask again at once for the rest */
  more: boolean;
  /** where `text` starts in the file */
  start: number;
  text: string;
  missing: boolean;
  /** why the log was not read although it exists (outside the log folder, its runner not answering) */
  refused?: string;
  /** missing, and the run ended longer ago than the runners keep logs (SWITCHYARD_RUN_LOG_DAYS): the days */
  deletedAfterDays?: number;
  /** only the log's end is left, kept in the database (its runner is gone): what, when and why, said above the text */
  kept?: string;
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

function keptNotice(kept: NonNullable<RunLogSource["kept"]>, size: number, finishedAt: Date | null): string {
  const what = kept.start === 0 ? "the whole log" : `its last ${Math.round((size - kept.start) / 1024)} KiB (of ${size.toLocaleString("en")} bytes)`;
  // The runner keeps the end once the run is recorded as ended; an earlier keep is one it made while
  // the run ran (every minute), the last before it went with its runner.
  const when = !finishedAt
    ? `while the run runs, last at ${utcMinute(kept.keptAt)} (kept again every minute; the rest is on its runner)`
    : kept.keptAt >= finishedAt
      ? `when the run ended (${utcMinute(kept.keptAt)})`
      : `while the run was running, last at ${utcMinute(kept.keptAt)}: what it wrote after that went with its runner`;
  return `Showing ${what}, kept in the database ${when}. The log file cannot be read: ${kept.why}.`;
}

export async function getRunLog(pool: pg.Pool, runId: number, offset: number | null): Promise<RunLog | null> {
  const found = await selectRunLogPath(pool, runId);
  if (!found) return null;
  const running = found.status === "running" || found.status === "queued";
  const empty = { runId, path: found.path, host: found.host, size: 0, start: 0, text: "", more: false, running };
  if (!found.path) return { ...empty, missing: true };
  let source: RunLogSource | null;
  try {
    source = await openRunLogSource(pool, runId, found);
  } catch (error) {
    if (error instanceof LogOutsideFolder || error instanceof LogUnavailable) return { ...empty, missing: true, refused: error.message };
    return { ...empty, missing: true };
  }
  if (!source) return { ...empty, missing: true, ...deletedAfter(found.finishedAt) };
  try {
    const { size } = source;
    // A file that shrank was rotated or rewritten: start again from its tail.
    const from = offset === null || offset > size ? Math.max(0, size - LOG_TAIL_BYTES) : offset;
    const length = Math.min(size - from, LOG_CHUNK_BYTES);
    const bytes = length > 0 ? await source.read(from, length) : Buffer.alloc(0);
    // what the database kept may start after `from`: the bytes end where asked
    const at = from + length - bytes.length;
    // a tail or a chunk cut mid-character would show U+FFFD twice: start and end on whole characters
    // (an offset given back is where the last answer ended, on a whole one)
    const skip = at === offset ? 0 : partialLead(bytes);
    const end = Math.max(skip, wholeEnd(bytes));
    const kept = source.kept ? { kept: keptNotice(source.kept, size, found.finishedAt) } : {};
    return { ...empty, size: at + end, start: at + skip, text: bytes.subarray(skip, end).toString("utf8"), more: from + length < size, missing: false, ...kept };
  } catch (error) {
    if (error instanceof LogUnavailable) return { ...empty, missing: true, refused: error.message };
    throw error;
  } finally {
    await source.close();
  }
}

/** Continuation bytes (10xxxxxx) at the start of a read that began inside a character: at most 3. */
function partialLead(bytes: Buffer): number {
  let n = 0;
  while (n < 3 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n++;
  return n;
}

/** Where the last whole UTF-8 character of `bytes` ends: a character cut by the read is left for the next one. */
function wholeEnd(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const needs = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needs > back ? bytes.length - back : bytes.length;
  }
  return bytes.length; // not UTF-8 there: shown as it is
}
