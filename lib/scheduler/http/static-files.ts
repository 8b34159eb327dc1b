import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import type { Logger } from "@/lib/log/logger";
import { sendBody, sendTornadoError, SERVER } from "@/lib/scheduler/http/respond";

// /static/... from a folder holding Luigi's luigi/static (the visualiser): [switchyard] static_dir,
// or, when that is not set, the installed Luigi's own (findLuigiStatic), as luigid serves it.
// Nothing is served outside that folder.

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
  "<code>SWITCHYARD_SCHEDULER_STATIC_DIR</code>, or point <code>python</code> (same section) at a Python that imports Luigi. The RPC API (<code>/api/</code>) and <code>/metrics</code> " +
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

// Where `import luigi` would load Luigi from, without importing it: the static files are all that is
// wanted, and a Luigi whose own dependencies (tornado, tenacity…) that Python lacks still has them.
const LUIGI_STATIC_PY =
  "import importlib.util, os; s = importlib.util.find_spec('luigi'); print(os.path.join(list(s.submodule_search_locations)[0], 'static') if s and s.submodule_search_locations else '')";

/**
 * The visualiser's folder of the Luigi that `python` would import (its PYTHONPATH and virtualenv
 * included), or null: no such Python, no Luigi, or a Luigi without the visualiser.
 */
export async function findLuigiStatic(python = "python3", env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const out = await promisify(execFile)(python, ["-c", LUIGI_STATIC_PY], { env, timeout: 10_000 }).catch(() => null);
  const dir = out?.stdout.trim();
  return dir && hasVisualiser(dir) ? path.resolve(dir) : null;
}

const hasVisualiser = (dir: string) => fs.existsSync(path.join(dir, "visualiser", "index.html"));

/**
 * The folder /static/ serves from, said once at start: the configured one (with a warning if it
 * has no visualiser), else the installed Luigi's, else "" (the 404 page says how to get one).
 */
export async function resolveStaticDir(configured: string, python: string, logger: Logger): Promise<string> {
  if (configured) {
    if (!hasVisualiser(configured)) logger.warn(`static_dir ${configured} has no visualiser/index.html: /static/visualiser/ will answer 404`);
    return configured;
  }
  const found = await findLuigiStatic(python);
  if (found) logger.info(`serving Luigi's visualiser at /static/visualiser/ from ${found} (the Luigi ${python} imports; static_dir serves another)`);
  else logger.info(`no static_dir, and ${python} finds no Luigi with a visualiser (PYTHONPATH included): /static/visualiser/ answers with how to set one`);
  return found ?? "";
}
