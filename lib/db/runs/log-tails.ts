import fs from "node:fs";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { Queryable } from "@/lib/db/runs/run-columns";

// The end of a run's log, kept in PostgreSQL while the run runs (every minute, when it grew) and
// when it ends (migration 20261207090000), by a runner whose logs the web servers read over HTTP:
// when that runner is gone its log folder is gone too (a Kubernetes pod's emptyDir), and the end
// of the log is where an operator looks first.

/** How much of a log's end is kept: the run page shows the last 64 KiB, a search gets four times that. */
export const KEPT_TAIL_BYTES = 256 * 1024;

export type KeptTail = { size: number; start: number; bytes: Buffer; keptAt: Date };

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Keeps the last `maxBytes` of `file` for the run (replacing what was kept); false when there is no file. */
export async function keepLogTail(db: Queryable, runId: number, file: string, maxBytes = KEPT_TAIL_BYTES): Promise<boolean> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  let size: number;
  let bytes: Buffer;
  try {
    size = (await handle.stat()).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  await db.query(
    `INSERT INTO run_log_tails (run_id, size, start, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id) DO UPDATE SET size = excluded.size, start = excluded.start, content = excluded.content, kept_at = now()`,
    [runId, size, size - bytes.length, await gzip(bytes)],
  );
  return true;
}

export async function readLogTail(db: Queryable, runId: number): Promise<KeptTail | null> {
  const r = await db.query<{ size: string; start: string; content: Buffer; kept_at: Date }>("SELECT size, start, content, kept_at FROM run_log_tails WHERE run_id = $1", [runId]);
  const row = r.rows[0];
  if (!row) return null;
  return { size: Number(row.size), start: Number(row.start), bytes: await gunzip(row.content), keptAt: row.kept_at };
}

/** Deletes what was kept more than `days` ago (the runners' SWITCHYARD_RUN_LOG_DAYS); 0 keeps all. */
export async function pruneLogTails(db: Queryable, days: number): Promise<number> {
  if (days <= 0) return 0;
  const r = await db.query("DELETE FROM run_log_tails WHERE kept_at < now() - make_interval(days => $1)", [days]);
  return r.rowCount ?? 0;
}
