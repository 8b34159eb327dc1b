import { Readable } from "node:stream";
import type { RunLogRow } from "@/lib/db/queries/select-run-log-path";
import { readLogTail, type KeptTail } from "@/lib/db/runs/log-tails";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { LogOutsideFolder, openRunLog } from "@/lib/presenters/run-log-file";
import { signCall } from "@/lib/luigi-rpc/call-signature";
import { lazyLogReadKey, LOG_READ_HEADER, LOG_SIZE_HEADER } from "@/lib/runner/log-read-mark";

// Where the dashboard reads a run's log (its tail, the search, the download): the file in its own
// log folder when it is there (one machine, or a folder shared with the runners), else the runner
// that wrote it, over HTTP (lib/runner/log-server.ts), when that runner announced a log_url
// (SWITCHYARD_RUNNER_URL) — Kubernetes, where the log is in the runner pod's emptyDir; and when
// that runner is gone, the end of the log it kept in the database (when the run ended, or while
// it ran when the runner went first).

export type RunLogSource = {
  size: number;
  /** up to `length` bytes from `from` */
  read(from: number, length: number): Promise<Buffer>;
  /** from `from` to `size` (a log still growing is cut there); the source is closed when it ends */
  stream(from?: number): Promise<Readable>;
  close(): Promise<void>;
  /** only the log's end is here, from byte `start` (the runner that has the whole log is gone): why, and when it was kept */
  kept?: { start: number; keptAt: Date; why: string };
};

/** The runner that has the log did not answer as it should (gone, or without the shared secret): said on the page. */
export class LogUnavailable extends Error {}

const logKey = lazyLogReadKey();

/** The log's source; null when it exists nowhere this server can see. Throws LogOutsideFolder or LogUnavailable. */
export async function openRunLogSource(db: Queryable, runId: number, run: RunLogRow): Promise<RunLogSource | null> {
  if (!run.path) return null;
  let handle: Awaited<ReturnType<typeof openRunLog>>;
  try {
    handle = await openRunLog(run.path);
  } catch (error) {
    // a path this server must not open (outside its folder) may still be the runner's to serve
    if (!(error instanceof LogOutsideFolder) || !run.logUrl) throw error;
    handle = null;
  }
  if (handle) {
    const { size } = await handle.stat();
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return {
      size,
      async read(from, length) {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, from);
        return buffer.subarray(0, bytesRead);
      },
      async stream(from = 0) {
        if (from >= size) {
          await close();
          return Readable.from([]);
        }
        closed = true; // the stream closes the handle when it ends or is destroyed
        return handle.createReadStream({ start: from, end: size - 1 });
      },
      close,
    };
  }
  // read only here, when the file is out of reach: a primary-key lookup, not on every poll of a live log
  const kept = async (why: string) => {
    const tail = await readLogTail(db, runId);
    return tail ? keptSource(tail, why) : null;
  };
  if (!run.logUrl) return kept("the log file is on no disk this server reads");
  try {
    return (await openRemote(runId, run.logUrl)) ?? (await kept(`the runner at ${run.logUrl} no longer has it`));
  } catch (error) {
    if (!(error instanceof LogUnavailable)) throw error;
    const tail = await kept(error.message);
    if (tail) return tail;
    throw error;
  }
}

/** The end of the log that was kept in the database: bytes `start` to `size` of the log. */
function keptSource(tail: KeptTail, why: string): RunLogSource {
  const slice = (from: number, to: number) => tail.bytes.subarray(Math.max(0, from - tail.start), Math.max(0, Math.min(to, tail.size) - tail.start));
  return {
    size: tail.size,
    kept: { start: tail.start, keptAt: tail.keptAt, why },
    async read(from, length) {
      return slice(from, from + length);
    },
    async stream(from = 0) {
      return Readable.from([slice(from, tail.size)], { objectMode: false });
    },
    async close() {},
  };
}

async function openRemote(runId: number, base: string): Promise<RunLogSource | null> {
  const ask = async (method: "GET" | "HEAD", query: string, timeoutMs: number): Promise<Response> => {
    const key = logKey();
    if (!key) throw new LogUnavailable("this web server has no shared secret to ask the runner with (BETTER_AUTH_SECRET)");
    const target = `/run-logs/${runId}${query}`;
    let res: Response;
    try {
      res = await fetch(`${base}${target}`, { method, headers: { [LOG_READ_HEADER]: signCall(key, method, target) }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new LogUnavailable(`the runner that wrote it (${base}) did not answer: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
    }
    if (res.status === 404 || res.ok) return res;
    const said = (await res.text().catch(() => "")).trim();
    throw new LogUnavailable(`the runner that wrote it (${base}) answered ${res.status}${said ? `: ${said}` : ""}`);
  };
  const head = await ask("HEAD", "", 5_000);
  if (head.status === 404) return null;
  const size = Number(head.headers.get(LOG_SIZE_HEADER) ?? "0");
  return {
    size,
    async read(from, length) {
      const res = await ask("GET", `?from=${from}&length=${length}`, 10_000);
      if (res.status === 404) return Buffer.alloc(0);
      return Buffer.from(await res.arrayBuffer());
    },
    async stream(from = 0) {
      if (from >= size) return Readable.from([]);
      const res = await ask("GET", `?from=${from}&length=${size - from}`, 600_000);
      if (res.status === 404 || !res.body) return Readable.from([]);
      return Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
    },
    async close() {},
  };
}
