import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLuigid } from "./luigid";

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
const luigid = await startLuigid(process.env.LUIGID_HISTORY_DB);
console.log(`luigid (history ${luigid.history ? `on, ${luigid.history}` : "off"}) on ${luigid.url}`);
const driver = spawn(process.execPath, ["--import", "tsx", path.join(here, "run.ts"), "--url", luigid.url, "--server-pid", String(luigid.pid), ...process.argv.slice(2)], { stdio: "inherit" });
const code = await new Promise<number>((r) => driver.on("exit", (c) => r(c ?? 1)));
const written = await luigid.countEvents();
if (written) console.log(written);
await luigid.stop();
process.exit(code);
