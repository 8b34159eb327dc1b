import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@/lib/testing/free-port";

// The same benchmark driver (run.ts, same clients) against a real luigid, for the side-by-side
// table of the README. Needs Python with Luigi: LUIGI_PYTHON (default /usr/bin/python3) and
// LUIGI_SRC (default /tmp/luigi-src, put on PYTHONPATH). Without them it says so and exits 0:
// the benchmark itself never needs Python. luigid runs without task history (that needs
// sqlalchemy); with LUIGID_HISTORY_DB=sqlite:///path it records history, if sqlalchemy is there.
//
//   node --import tsx bench/scheduler/vs-luigid.ts [run.ts flags, e.g. --tasks 50000]

const here = path.dirname(fileURLToPath(import.meta.url));
const python = process.env.LUIGI_PYTHON ?? "/usr/bin/python3";
const src = process.env.LUIGI_SRC ?? "/tmp/luigi-src";
const env = { ...process.env, PYTHONPATH: src };
const probe = spawnSync(python, ["-c", "import luigi.cmdline, tornado"], { env, encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  console.log(`skipped: no Python with Luigi here (${python}, PYTHONPATH=${src}): ${probe.error?.message ?? probe.stderr.trim().split("\n").pop()}`);
  process.exit(0);
}
const home = fs.mkdtempSync(path.join(os.tmpdir(), "luigid-bench-"));
const config = path.join(home, "luigi.cfg");
const history = process.env.LUIGID_HISTORY_DB;
fs.writeFileSync(config, `[scheduler]\nrecord_task_history = ${history ? "True" : "False"}\n${history ? `[task_history]\ndb_connection = ${history}\n` : ""}`);
const port = await freePort();
const luigid = spawn(python, ["-c", "import luigi.cmdline, sys; luigi.cmdline.luigid(sys.argv[1:])", "--port", String(port), "--address", "127.0.0.1", "--state-path", path.join(home, "state.pickle"), "--logdir", home], { env: { ...env, LUIGI_CONFIG_PATH: config }, stdio: "ignore" });
const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 300 && !(await fetch(url + "/api/ping", { method: "POST", body: "data=%7B%22worker%22%3A%22probe%22%7D", headers: { "Content-Type": "application/x-www-form-urlencoded" } }).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));
console.log(`luigid (history ${history ? "on" : "off"}) on ${url}`);
const driver = spawn(process.execPath, ["--import", "tsx", path.join(here, "run.ts"), "--url", url, ...process.argv.slice(2)], { stdio: "inherit" });
const code = await new Promise<number>((r) => driver.on("exit", (c) => r(c ?? 1)));
luigid.kill("SIGTERM");
fs.rmSync(home, { recursive: true, force: true });
process.exit(code);
