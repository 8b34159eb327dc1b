import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";

// Response details as Tornado sends them (SPEC §1.3): JSON content type, `Vary: Accept-Encoding`,
// an Etag (SHA-1 of the body) on GET with 304 for a matching If-None-Match, gzip for bodies of
// 1024 bytes or more when the client accepts it. Error pages for 404/405 are Tornado's HTML; where
// luigid answers 500 with HTML, a JSON body says what was wrong.

const gzip = promisify(zlib.gzip);
const JSON_TYPE = "application/json; charset=UTF-8";
export const SERVER = "Switchyard";

export function baseHeaders(res: ServerResponse): void {
  res.setHeader("Server", SERVER);
  res.setHeader("Vary", "Accept-Encoding");
}

export async function sendBody(req: IncomingMessage, res: ServerResponse, status: number, content: string | Buffer[], opts: { type?: string; etag?: boolean } = {}): Promise<void> {
  baseHeaders(res);
  res.setHeader("Content-Type", opts.type ?? JSON_TYPE);
  let chunks = typeof content === "string" ? [Buffer.from(content, "utf8")] : content;
  let length = chunks.reduce((n, c) => n + c.length, 0);
  if (opts.etag && status === 200) {
    const hash = createHash("sha1");
    for (const c of chunks) hash.update(c);
    const etag = `"${hash.digest("hex")}"`;
    res.setHeader("Etag", etag);
    if (etagMatches(req.headers["if-none-match"], etag)) {
      res.removeHeader("Content-Type");
      res.writeHead(304);
      res.end();
      return;
    }
  }
  if (length >= 1024 && /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""))) {
    // Large lists (task_list of 50k tasks is tens of MB) compress off the event loop, at a fast level.
    chunks = [await gzip(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length), { level: length > 1 << 20 ? 1 : 6 })];
    length = chunks[0].length;
    res.setHeader("Content-Encoding", "gzip");
  }
  res.setHeader("Content-Length", length);
  res.writeHead(status);
  if (req.method === "HEAD") return void res.end();
  // one writev for a reply of many chunks (task_list: ~400 of 64 KB) instead of a write each
  res.cork();
  for (const c of chunks) res.write(c);
  res.end();
  res.uncork();
}

/** Tornado's check_etag_header: `*`, or any listed tag, weak or strong. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

const REASONS: Record<number, string> = { 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error" };

export function sendTornadoError(req: IncomingMessage, res: ServerResponse, status: 404 | 405 | 500): Promise<void> {
  const title = `${status}: ${REASONS[status]}`;
  return sendBody(req, res, status, `<html><title>${title}</title><body>${title}</body></html>`, { type: "text/html; charset=UTF-8" });
}

export function sendJsonError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): Promise<void> {
  return sendBody(req, res, status, JSON.stringify({ error: { code, message } }));
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  baseHeaders(res);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.writeHead(status);
  res.end();
}
