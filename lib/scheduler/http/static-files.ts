import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendBody, sendTornadoError, SERVER } from "@/lib/scheduler/http/respond";

// /static/... from a configured folder (Luigi's luigi/static, which holds the visualiser), so an
// operator who has Luigi installed can point [switchyard] static_dir at it. Nothing is served
// outside that folder.

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".css": "text/css",
  ".js": "text/javascript",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".eot": "application/vnd.ms-fontobject",
  ".json": "application/json",
  ".map": "application/json",
};

// GET / redirects to the visualiser as luigid's does; without static_dir that lands here, and
// the page says how to get it rather than only "404: Not Found".
const NOT_CONFIGURED =
  "<html><title>404: Not Found</title><body><p>404: Not Found</p><p>This scheduler serves Luigi's visualiser " +
  "(<code>/static/</code>) from a copy of Luigi's <code>luigi/static</code> folder, and none is configured: set " +
  "<code>static_dir</code> in the <code>[switchyard]</code> section of its config file, or " +
  "<code>SWITCHYARD_SCHEDULER_STATIC_DIR</code>. The RPC API (<code>/api/</code>) and <code>/metrics</code> " +
  "do not need it.</p></body></html>";

export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, relative: string): Promise<void> {
  if (!root) return sendBody(req, res, 404, NOT_CONFIGURED, { type: "text/html; charset=UTF-8" });
  if (req.method !== "GET" && req.method !== "HEAD") return sendTornadoError(req, res, 405);
  const base = path.resolve(root);
  const file = path.resolve(base, "." + path.posix.normalize("/" + relative));
  if (!file.startsWith(base + path.sep)) return sendTornadoError(req, res, 404);
  const stat = await fs.promises.stat(file).catch(() => null);
  if (!stat?.isFile()) return sendTornadoError(req, res, 404);
  res.setHeader("Server", SERVER);
  res.setHeader("Content-Type", TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream");
  res.setHeader("Content-Length", stat.size);
  res.writeHead(200);
  if (req.method === "HEAD") return void res.end();
  await new Promise<void>((resolve) => {
    const stream = fs.createReadStream(file);
    stream.on("error", () => (res.destroy(), resolve()));
    stream.on("end", resolve);
    stream.pipe(res);
  });
}
