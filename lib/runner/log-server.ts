import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { verifyCall } from "@/lib/luigi-rpc/call-signature";
import { LOG_READ_HEADER, LOG_SIZE_HEADER } from "@/lib/runner/log-read-mark";
import { runLogName } from "@/lib/runner/run-logs";

// A runner's run logs over HTTP, for a web server that does not share its log folder (Kubernetes:
// the runner pod's emptyDir). Served on the runner's health port (`--health-port`), announced as
// its `log_url` (SWITCHYARD_RUNNER_URL, lib/db/hosts/runners.ts), read by the dashboard through
// lib/presenters/run-log-source.ts.
//
//   HEAD /run-logs/<id>                       the size, in x-log-size
//   GET  /run-logs/<id>?from=N&length=M       M bytes at most from byte N, streamed
//   GET  /run-logs/<id>?from=N                from byte N to the end
//
// Only `run-<id>.log` in this runner's folder: the id is a number and the name is made here, and
// a symlink is not followed. Logs hold whatever a pipeline printed and the port is reachable from
// the cluster, so every request carries a mark (log-read-mark.ts) over its method, path and query,
// keyed from the secret the parts share and good for 60 s.

const ROUTE = /^\/run-logs\/(\d{1,15})$/;

/** Answers a /run-logs/ request; false for any other path (the caller answers those). */
export function serveRunLog(req: http.IncomingMessage, res: http.ServerResponse, options: { logDir: string; key: () => Buffer | undefined }): boolean {
  const url = new URL(req.url ?? "/", "http://runner");
  const route = ROUTE.exec(url.pathname);
  if (!route) return false;
  const fail = (status: number, message: string) => void res.writeHead(status, { "content-type": "text/plain" }).end(`${message}\n`);
  if (req.method !== "GET" && req.method !== "HEAD") return (fail(405, "GET or HEAD"), true);
  const key = options.key();
  if (!key) return (fail(503, "this runner has no shared secret yet (BETTER_AUTH_SECRET or SWITCHYARD_HOME/auth.secret)"), true);
  const header = req.headers[LOG_READ_HEADER];
  if (!verifyCall(key, typeof header === "string" ? header : undefined, req.method, `${url.pathname}${url.search}`)) return (fail(401, "a fresh mark from a process that shares this runner's secret is needed"), true);
  const from = wholeNumber(url.searchParams.get("from"), 0);
  const length = wholeNumber(url.searchParams.get("length"), null);
  if (from === undefined || length === undefined) return (fail(400, "from: a byte offset; length: a number of bytes, or none for the rest"), true);
  void answer(req.method, path.join(options.logDir, runLogName(Number(route[1]))), from, length, res).catch(() => {
    if (!res.headersSent) fail(500, "could not read the log");
    else res.destroy();
  });
  return true;
}

async function answer(method: string, file: string, from: number, length: number | null, res: http.ServerResponse): Promise<void> {
  const notFound = () => void res.writeHead(404, { "content-type": "text/plain" }).end("no such log on this runner\n");
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return notFound();
  }
  let streaming = false;
  try {
    const st = await handle.stat();
    if (!st.isFile()) return notFound();
    const start = Math.min(from, st.size);
    const end = length === null ? st.size : Math.min(st.size, start + length);
    const headers = { "content-type": "application/octet-stream", [LOG_SIZE_HEADER]: String(st.size), "content-length": String(method === "HEAD" ? 0 : end - start) };
    if (method === "HEAD" || end === start) {
      res.writeHead(200, headers).end();
      return;
    }
    res.writeHead(200, headers);
    // up to the size just read: a running run's log grows while it is sent
    streaming = true; // the stream closes the handle, also when the reader goes away mid-way
    await pipeline(handle.createReadStream({ start, end: end - 1 }), res).catch(() => {});
  } finally {
    if (!streaming) await handle.close();
  }
}

/** A query value as a whole number ≥ 0: `fallback` when absent, undefined when malformed. */
function wholeNumber<T extends number | null>(value: string | null, fallback: T): number | T | undefined {
  if (value === null) return fallback;
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
