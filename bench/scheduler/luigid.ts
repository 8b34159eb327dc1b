import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/testing/free-port";
import { luigiPython } from "./luigi-python";

export type Luigid = {
  url: string;
  pid: number;
  /** What the history is written to, for the report (null: none). */
  history: string | null;
  /** The rows luigid's history holds, as a sentence ("" without history in PostgreSQL). */
  countEvents(): Promise<string>;
  stop(): Promise<void>;
};

/**
 * A real luigid from LUIGI_SRC (luigi-python.ts), on a free port, for the side-by-side benches.
 * History off unless `history` is given: `postgres` starts an embedded PostgreSQL for it (WAL
 * warmed as ours is, durable commits; needs psycopg2), anything else is an SQLAlchemy URL (e.g.
 * sqlite:///path). Luigi's history needs SQLAlchemy 2: without it (Debian 12 has 1.4) this says
 * "skipped" and exits 0, as luigiPython() does without Luigi.
 */
export async function startLuigid(history?: string): Promise<Luigid> {
  const { python, env } = luigiPython();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "luigid-bench-"));
  let stopDb = async () => {};
  let countEvents = async () => "";
  if (history === "postgres") {
    const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
    const { createLogger } = await import("@/lib/log/logger");
    fs.chmodSync(home, 0o755);
    const db = await startEmbeddedPostgres({ home: path.join(home, "pg"), port: await freePort(), logger: createLogger("bench-db", "warn"), database: "postgres" });
    stopDb = () => db.stop();
    const { warmWal } = await import("./warm-wal");
    await warmWal(db.url); // as startOwnScheduler does for ours
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
  const config = path.join(home, "luigi.cfg");
  fs.writeFileSync(config, `[scheduler]\nrecord_task_history = ${history ? "True" : "False"}\n${history ? `[task_history]\ndb_connection = ${history}\n` : ""}`);
  const port = await freePort();
  const errors = path.join(home, "luigid.err");
  const luigid = spawn(python, ["-c", "import luigi.cmdline, sys; luigi.cmdline.luigid(sys.argv[1:])", "--port", String(port), "--address", "127.0.0.1", "--state-path", path.join(home, "state.pickle"), "--logdir", home], { env: { ...env, LUIGI_CONFIG_PATH: config }, stdio: ["ignore", "ignore", fs.openSync(errors, "w")] });
  process.once("exit", () => luigid.kill("SIGKILL")); // never outlive a bench that failed
  const url = `http://127.0.0.1:${port}`;
  const up = () => fetch(url + "/api/ping", { method: "POST", body: "data=%7B%22worker%22%3A%22probe%22%7D", headers: { "Content-Type": "application/x-www-form-urlencoded" } }).then((r) => r.ok).catch(() => false);
  let serving = false;
  for (let i = 0; i < 300 && !(serving = await up()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!serving) {
    luigid.kill("SIGKILL");
    await stopDb();
    throw new Error(`luigid did not come up in 30 s:\n${fs.readFileSync(errors, "utf8").split("\n").slice(-15).join("\n")}`);
  }
  return {
    url,
    pid: luigid.pid!,
    history: history ? history.replace(/\/\/[^@]*@/, "//") : null,
    countEvents: () => countEvents().catch((error: Error) => `could not count luigid's history: ${error.message}`),
    async stop() {
      luigid.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      await stopDb();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
