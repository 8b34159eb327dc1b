import { spawn } from "node:child_process";
import net from "node:net";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { JOURNAL_SQL } from "@/lib/scheduler/store/postgres-durability";
import { loadavg } from "./proc";
import { scratchPostgres } from "./scratch-db";
import { warmWal } from "./warm-wal";

// What a round trip to another process costs on this machine when the caller does something else
// between calls, as one Luigi worker does between its add_tasks (checking the next task's
// output): the other process has gone idle and must be woken. Two round trips, each timed three
// ways — back to back, after 2 ms of busy work, after 2 ms asleep:
//   * one byte to an echo process over loopback TCP (a Luigi worker ↔ luigid: one such hop);
//   * an INSERT of one journal-sized row and its durable commit on PostgreSQL (our add_task waits
//     for one, so a call is two of these hops: the worker ↔ the scheduler ↔ PostgreSQL).
//
//   node --import tsx bench/scheduler/wakeup.ts [--calls 2000]

const i = process.argv.indexOf("--calls");
const CALLS = i === -1 ? 2000 : Number(process.argv[i + 1]);

// the echo process: plain JavaScript, so it starts without the TypeScript loader
const ECHO = `const net = require("node:net");
const server = net.createServer((s) => { s.setNoDelay(true); s.on("data", (d) => s.write(d)); });
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));`;

{
  const spin = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const gaps: Array<[string, () => unknown]> = [
    ["back to back", () => {}],
    ["after 2 ms of work", () => spin(2)],
    ["after 2 ms asleep", () => sleep(2)],
  ];
  async function measure(name: string, roundTrip: () => Promise<unknown>): Promise<void> {
    for (const [gapName, gap] of gaps) {
      const ms: number[] = [];
      for (let n = 0; n < CALLS; n++) {
        await gap();
        const t0 = performance.now();
        await roundTrip();
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      console.log(`${name}, ${gapName.padEnd(18)} p50 ${(ms[ms.length >> 1] * 1000).toFixed(0).padStart(4)} µs, mean ${(mean * 1000).toFixed(0).padStart(4)} µs (load average ${loadavg()})`);
    }
  }

  const echo = spawn(process.execPath, ["-e", ECHO], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((r) => echo.stdout.once("data", (d) => r(Number(String(d)))));
  const socket = net.connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  await new Promise((r) => socket.once("connect", r));
  await measure("loopback TCP echo         ", () => new Promise((r) => (socket.once("data", r), socket.write("x"))));
  socket.destroy();
  echo.kill();

  const db = await scratchPostgres("wakeup-");
  try {
    await warmWal(db.url);
    await applyMigrations(db.url);
    const client = new pg.Client(db.url);
    await client.connect();
    const row = JSON.stringify({ tasks: [{ id: "BenchStep_1x2_3", status: "PENDING", params: { chain: "1x2", step: "3" }, pad: "x".repeat(1200) }] });
    const insert = { name: "wakeup-journal", text: JOURNAL_SQL, values: [row] };
    await measure("PostgreSQL INSERT + commit", () => client.query(insert));
    await client.end();
  } finally {
    await db.stop();
  }
}
