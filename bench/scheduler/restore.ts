import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { readMetric, startDaemon } from "./daemon";
import { loadavg, rssMiB } from "./proc";
import { scratchPostgres } from "./scratch-db";
import { seedBenchTasks } from "./seed";

// Memory and restore at a size the announce phase takes too long to reach on a shared 2-core
// machine: N tasks in the benchmark's shape (chains of 10, 4 workers; seed.ts runs the bench
// clients' add_task calls in memory and writes the scheduler's own row documents) are written
// straight into scheduler_tasks; then the daemon is started on the
// empty-of-load process (idle RSS), on the seeded database (restore time, RSS per task over
// idle), and a standby, once it holds its copy of the state, takes over from it after a SIGKILL
// (takeover time).
//
//   node --import tsx bench/scheduler/restore.ts [--tasks 500000]

const i = process.argv.indexOf("--tasks");
const TASKS = i === -1 ? 500_000 : Number(process.argv[i + 1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const db = await scratchPostgres("sched-restore-");
await applyMigrations(db.url);

const restoreSeconds = (d: { url: string }) => readMetric(d, "switchyard_scheduler_restore_seconds");

const empty = await startDaemon(db.url, "/");
await sleep(1000);
const idle = rssMiB(empty.pid);
await empty.stop();

const client = new pg.Client(db.url);
await client.connect();
const seeded = performance.now();
await seedBenchTasks(client, TASKS);
await client.query("ANALYZE scheduler_tasks");
await client.end();
console.log(`seeded ${TASKS} tasks in ${((performance.now() - seeded) / 1000).toFixed(1)} s; idle scheduler RSS ${idle.toFixed(0)} MiB`);

const active = await startDaemon(db.url, "/");
await sleep(1000);
const rss = rssMiB(active.pid);
console.log(`start (load average ${loadavg()}): serving ${active.seconds.toFixed(1)} s after spawn, restore ${(await restoreSeconds(active)).toFixed(1)} s; RSS ${rss.toFixed(0)} MiB = ${(((rss - idle) * 2 ** 20) / TASKS).toFixed(0)} B/task over the idle ${idle.toFixed(0)} MiB`);

const spawnedStandby = performance.now();
// The standby reads its copy of the state while the active one serves (store/warm-standby.ts), and
// says so on /metrics; the SIGKILL comes once it holds every task.
const standby = await startDaemon(db.url, "/healthz/ready");
while (!((await readMetric(standby, "switchyard_scheduler_standby_tasks")) >= TASKS)) await sleep(50);
const rssCopy = rssMiB(standby.pid);
console.log(`standby: holds its copy of the ${TASKS} tasks ${((performance.now() - spawnedStandby) / 1000).toFixed(1)} s after its spawn; RSS ${rssCopy.toFixed(0)} MiB = ${(((rssCopy - idle) * 2 ** 20) / TASKS).toFixed(0)} B/task over idle`);
const killed = performance.now();
await active.kill();
while (!(await fetch(standby.url + "/healthz/ready").then((r) => r.ok, () => false))) await sleep(10);
const took = (performance.now() - killed) / 1000;
await sleep(1000);
const rss2 = rssMiB(standby.pid);
console.log(`takeover (load average ${loadavg()}): standby serving ${took.toFixed(1)} s after the SIGKILL (restore ${(await restoreSeconds(standby)).toFixed(1)} s); its RSS ${rss2.toFixed(0)} MiB = ${(((rss2 - idle) * 2 ** 20) / TASKS).toFixed(0)} B/task over idle`);
await standby.stop();
await db.stop();
