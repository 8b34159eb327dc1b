// Checks by hand that a real luigid reads and writes Switchyard's history tables (issue 14: the
// partitioned history keeps Luigi's columns, so luigid's own history readers still work). Not part
// of `npm test`, which never needs Python: it needs Luigi's source (LUIGI_SRC, default
// /tmp/luigi-src), SQLAlchemy 2 and psycopg2 for /usr/bin/python3 (bench/scheduler/HISTORY.md says
// how they were put here), and exits 0 with "skipped" without them.
//
//   PYTHONPATH=/tmp/sqla2/usr/lib/python3/dist-packages node --import tsx scripts/luigid-history/check.ts
//
// On an embedded PostgreSQL with every migration: real Luigi workers run tiny.py against our
// scheduler (history written by us), then against a luigid recording its history into the same
// tables; then luigid's history pages and DbTaskHistory's readers must answer for both.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

const here = path.resolve("scripts/luigid-history");
const src = process.env.LUIGI_SRC ?? "/tmp/luigi-src";
const env = { ...process.env, PYTHONPATH: [src, here, process.env.PYTHONPATH].filter(Boolean).join(":") };
const probe = spawnSync("/usr/bin/python3", ["-c", "import luigi, psycopg2; from sqlalchemy.orm import attribute_keyed_dict"], { env, encoding: "utf8" });
if (probe.status !== 0) {
  console.log(`skipped: needs Luigi, SQLAlchemy 2 and psycopg2 for /usr/bin/python3 (${probe.stderr.trim().split("\n").pop()})`);
  process.exit(0);
}
const home = fs.mkdtempSync(path.join(os.tmpdir(), "luigid-history-check-"));
fs.chmodSync(home, 0o755);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};
const db = await startEmbeddedPostgres({ home: path.join(home, "pg"), port: await freePort(), logger: createLogger("pg", "warn"), database: "postgres" });
const children: Array<ReturnType<typeof spawn>> = [];
try {
  await applyMigrations(db.url);
  const worker = (task: string, day: string, port: number) =>
    spawnSync("/usr/bin/python3", ["-m", "luigi", "--module", "tiny", task, "--day", day, "--scheduler-url", `http://127.0.0.1:${port}`], { env: { ...env, TINY_OUT: path.join(home, "out") }, encoding: "utf8" });
  const waitUp = async (url: string) => {
    for (let i = 0; i < 100; i++) {
      // any answer will do: the server listens
      if (await fetch(url).then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${url} did not answer`);
  };

  const ours = await freePort();
  children.push(spawn(process.execPath, ["--import", "tsx", "lib/scheduler/daemon.ts", "--port", String(ours)], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" }, stdio: "inherit" }));
  await waitUp(`http://127.0.0.1:${ours}/api/ping`);
  check(/looks :\)/.test(worker("Report", "2026-12-03", ours).stderr), "a Luigi worker runs Report against our scheduler");
  check(/looks :\(/.test(worker("Broken", "2026-12-03", ours).stderr), "a Luigi worker's Broken fails against our scheduler");
  children.pop()!.kill("SIGTERM");

  const config = path.join(home, "luigi.cfg");
  fs.writeFileSync(config, `[scheduler]\nrecord_task_history = True\n[task_history]\ndb_connection = ${db.url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:")}\n`);
  const luigidPort = await freePort();
  const luigidEnv = { ...env, LUIGI_CONFIG_PATH: config };
  children.push(spawn("/usr/bin/python3", ["-c", "import luigi.cmdline, sys; luigi.cmdline.luigid(sys.argv[1:])", "--port", String(luigidPort), "--address", "127.0.0.1", "--state-path", path.join(home, "state.pickle"), "--logdir", home], { env: luigidEnv, stdio: "ignore" }));
  await waitUp(`http://127.0.0.1:${luigidPort}/api/ping`);
  check(/looks :\)/.test(worker("Report", "2026-12-04", luigidPort).stderr), "a Luigi worker runs Report against a luigid that records into our tables");
  for (const page of ["/history", "/history/by_name/Report", "/history/by_id/1", "/history/by_task_id/Report_2026_12_04_fb453a2d01"]) {
    const res = await fetch(`http://127.0.0.1:${luigidPort}${page}`);
    const html = await res.text();
    check(res.status === 200 && html.includes("Report"), `luigid's ${page} answers 200 with our history`);
  }
  const readers = spawnSync("/usr/bin/python3", [path.join(here, "readers.py")], { env: luigidEnv, encoding: "utf8" });
  console.log(readers.stdout.trim().replace(/^/gm, "     "));
  check(readers.status === 0, `DbTaskHistory's readers run${readers.status === 0 ? "" : `: ${readers.stderr.trim().split("\n").pop()}`}`);
  check(/find_latest_runs: 5 /.test(readers.stdout), "find_latest_runs sees the 5 tasks, ours and luigid's");
  check(/find_all_by_name\(Broken\): 1 \[\('Broken_2026_12_03_\w+', \['FAILED', 'RUNNING', 'PENDING'\]/.test(readers.stdout), "find_all_by_name reads our events of a failed task");
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await db.stop();
  fs.rmSync(home, { recursive: true, force: true });
}
console.log(failures.length === 0 ? "luigid reads and writes Switchyard's history: every check passed" : `${failures.length} check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
