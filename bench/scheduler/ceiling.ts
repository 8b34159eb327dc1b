import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@/lib/testing/free-port";

// The ceiling of this machine for the benchmark's clients: the same driver (run.ts, same flags)
// against a server that does nothing — node:http answering every /api/<method> with
// {"response": {}} as luigid's Tornado would frame it, no state, no database. What the clients
// reach here is the most any scheduler could reach on this machine with them on it; their CPU per
// call and the get_work latency here are the clients' own cost.
//
//   node --import tsx bench/scheduler/ceiling.ts [run.ts flags, e.g. --tasks 50000 --client python --no-task-list]

const here = path.dirname(fileURLToPath(import.meta.url));

if (process.argv[2] === "serve") {
  const reply = Buffer.from('{"response": {}}');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("Server", "Switchyard");
      res.setHeader("Vary", "Accept-Encoding");
      res.setHeader("Content-Type", "application/json; charset=UTF-8");
      res.setHeader("Content-Length", reply.length);
      res.writeHead(req.method === "HEAD" ? 204 : 200);
      res.end(req.method === "HEAD" ? undefined : reply);
    });
  });
  server.listen(Number(process.argv[3]), "127.0.0.1");
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
} else {
  const port = await freePort();
  const server = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "serve", String(port)], { stdio: "inherit" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await fetch(url + "/api/ping", { method: "POST" }).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`a server that does nothing on ${url}`);
  const driver = spawn(process.execPath, ["--import", "tsx", path.join(here, "run.ts"), "--url", url, "--server-pid", String(server.pid), ...process.argv.slice(2)], { stdio: "inherit" });
  const code = await new Promise<number>((r) => driver.on("exit", (c) => r(c ?? 1)));
  server.kill("SIGTERM");
  process.exitCode = code;
}
