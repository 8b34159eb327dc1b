import readline from "node:readline";
import type { Readable } from "node:stream";
import type pg from "pg";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";
import { openRunLogSource } from "@/lib/presenters/run-log-source";

// Search within a run's log on the server: the browser holds only the log's tail, but the line an
// operator looks for ("Traceback", a customer id) may be anywhere in a 50 MB file. The file is
// streamed line by line (never loaded whole), the search is a case-insensitive substring, and the
// answer is capped so a common word cannot ship the whole log.

export const MAX_MATCHES = 200;
const MAX_LINE_CHARS = 2_000;

export type LogMatch = { line: number; text: string };
/** keptOnly: only the log's end was left to search (kept in the database, its runner gone) */
export type LogSearch = { runId: number; query: string; matches: LogMatch[]; truncated: boolean; lines: number; missing: boolean; keptOnly?: boolean };

export async function searchRunLog(pool: pg.Pool, runId: number, query: string, maxMatches = MAX_MATCHES): Promise<LogSearch | null> {
  const run = await selectRunLogPath(pool, runId);
  if (!run) return null;
  const result: LogSearch = { runId, query, matches: [], truncated: false, lines: 0, missing: false };
  let stream: Readable;
  try {
    const source = await openRunLogSource(pool, runId, run);
    if (!source) return { ...result, missing: true };
    if (source.kept) result.keptOnly = true;
    stream = await source.stream(); // closes the source when destroyed
    stream.setEncoding("utf8");
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
