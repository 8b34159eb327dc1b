import fs from "node:fs";
import readline from "node:readline";
import type pg from "pg";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";
import { openRunLog } from "@/lib/presenters/run-log-file";

// Search within a run's log on the server: the browser holds only the log's tail, but the line an
// operator looks for ("Traceback", a customer id) may be anywhere in a 50 MB file. The file is
// streamed line by line (never loaded whole), the search is a case-insensitive substring, and the
// answer is capped so a common word cannot ship the whole log.

export const MAX_MATCHES = 200;
const MAX_LINE_CHARS = 2_000;

export type LogMatch = { line: number; text: string };
export type LogSearch = { runId: number; query: string; matches: LogMatch[]; truncated: boolean; lines: number; missing: boolean };

export async function searchRunLog(pool: pg.Pool, runId: number, query: string, maxMatches = MAX_MATCHES): Promise<LogSearch | null> {
  const run = await selectRunLogPath(pool, runId);
  if (!run) return null;
  const result: LogSearch = { runId, query, matches: [], truncated: false, lines: 0, missing: false };
  if (!run.path) return { ...result, missing: true };
  let stream: fs.ReadStream;
  try {
    const handle = await openRunLog(run.path);
    if (!handle) return { ...result, missing: true };
    stream = handle.createReadStream({ encoding: "utf8" }); // closes the handle when destroyed
  } catch {
    return { ...result, missing: true };
  }
  const needle = query.toLowerCase();
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      result.lines++;
      if (!line.toLowerCase().includes(needle)) continue;
      if (result.matches.length >= maxMatches) {
        result.truncated = true;
        break;
      }
      result.matches.push({ line: result.lines, text: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line });
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return result;
}
