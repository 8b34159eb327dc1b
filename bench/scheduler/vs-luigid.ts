import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@/lib/testing/free-port";
import { luigiPython } from "./luigi-python";

// The same benchmark driver (run.ts, same clients) against a real luigid, for the side-by-side
// table of the README. Needs Python with Luigi: LUIGI_PYTHON (default /usr/bin/python3) and
// LUIGI_SRC (default /tmp/luigi-src, put on PYTHONPATH before any PYTHONPATH given). Without them
// it says so and exits 0: the benchmark itself never needs Python. luigid runs without task
// history unless LUIGID_HISTORY_DB is set: `postgres` starts an embedded PostgreSQL for it (as
// run.ts does for our scheduler, durable commits; needs psycopg2), anything else is an SQLAlchemy
// URL (e.g. sqlite:///path). Luigi's history needs SQLAlchemy 2: with Debian 12's 1.4, put 2.x
// on PYTHONPATH (README).
//
//   node --import tsx bench/scheduler/vs-luigid.ts [run.ts flags, e.g. --tasks 50000]

const here = path.dirname(fileURLToPath(import.meta.url));
const { python, env } = luigiPython();
const home = fs.mkdtempSync(path.join(os.tmpdir(), "luigid-bench-"));
const config = path.join(home, "luigi.cfg");
let history = process.env.LUIGID_HISTORY_DB;
let stopDb = async () => {};
let countEvents: () => Promise<string> = async () => "";
if (history === "postgres") {
  const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
  const { createLogger } = await import("@/lib/log/logger");
  fs.chmodSync(home, 0o755);
  const db = await startEmbeddedPostgres({ home: path.join(home, "pg"), port: await freePort(), logger: createLogger("bench-db", "warn"), database: "postgres" });
  stopDb = () => db.stop();
  const { warmWal } = await import("./warm-wal");
  await warmWal(db.url); // as run.ts does for ours
  countEvents = async () => {
    const { default: pg } = await import("pg");
    const c = new pg.Client(db.url);
    await c.connect();
    const n = (await c.query("SELECT (SELECT count(*) FROM task_events) AS events, (SELECT count(*) FROM tasks) AS tasks")).rows[0];
    await c.end();
    return `luigid's history in PostgreSQL at the end: ${n.tasks} task rows, ${n.events} events`;
  };
  history = db.url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
}
if (history) {
  const check = spawnSync(python, ["-c", "import sqlalchemy, sys; from sqlalchemy.orm import attribute_keyed_dict; print(sqlalchemy.__version__)"], { env, encoding: "utf8" });
  if (check.status !== 0) {
    console.log(`skipped: luigid's history needs SQLAlchemy 2 (${check.stderr.trim().split("\n").pop()})`);
    await stopDb();
    process.exit(0);
  }
}
fs.writeFileSync(config, `[scheduler]\nrecord_task_history = ${history ? "True" : "False"}\n${history ? `[task_history]\ndb_connection = ${history}\n` : ""}`);
const port = await freePort();
const luigid = spawn(python, ["-c", "import luigi.cmdline, sys; luigi.cmdline.luigid(sys.argv[1:])", "--port", String(port), "--address", "127.0.0.1", "--state-path", path.join(home, "state.pickle"), "--logdir", home], { env: { ...env, LUIGI_CONFIG_PATH: config }, stdio: ["ignore", "ignore", fs.openSync(path.join(home, "luigid.err"), "w")] });
const url = `http://127.0.0.1:${port}`;
const up = () => fetch(url + "/api/ping", { method: "POST", body: "data=%7B%22worker%22%3A%22probe%22%7D", headers: { "Content-Type": "application/x-www-form-urlencoded" } }).then((r) => r.ok).catch(() => false);
let serving = false;
for (let i = 0; i < 300 && !(serving = await up()); i++) await new Promise((r) => setTimeout(r, 100));
if (!serving) {
  console.log(`luigid did not come up in 30 s:\n${fs.readFileSync(path.join(home, "luigid.err"), "utf8").split("\n").slice(-15).join("\n")}`);
  luigid.kill("SIGKILL");
  await stopDb();
  process.exit(1);
}
console.log(`luigid (history ${history ? `on, ${history.replace(/\/\/[^@]*@/, "//")}` : "off"}) on ${url}`);
const driver = spawn(process.execPath, ["--import", "tsx", path.join(here, "run.ts"), "--url", url, "--server-pid", String(luigid.pid), ...process.argv.slice(2)], { stdio: "inherit" });
const code = await new Promise<number>((r) => driver.on("exit", (c) => r(c ?? 1)));
const written = await countEvents().catch((error: Error) => `could not count luigid's history: ${error.message}`);
if (written) console.log(written);
luigid.kill("SIGTERM");
await new Promise((r) => setTimeout(r, 500));
await stopDb();
fs.rmSync(home, { recursive: true, force: true });
process.exit(code);
