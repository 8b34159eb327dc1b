import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerRunner } from "@/lib/db/hosts/runners";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";
import { keepLogTail } from "@/lib/db/runs/log-tails";
import { getRunLog, LOG_TAIL_BYTES } from "@/lib/presenters/get-run-log";
import { openRunLogSource } from "@/lib/presenters/run-log-source";
import { searchRunLog } from "@/lib/presenters/search-run-log";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { startHealthServer } from "@/lib/runner/health-server";
import { signCall } from "@/lib/luigi-rpc/call-signature";
import { LOG_READ_HEADER, logReadKey } from "@/lib/runner/log-read-mark";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";

// A web server that does not share the runner's log folder (Kubernetes: the runner pod's
// emptyDir) reads a run's log from the runner that wrote it: a real runner health server on a
// real port, real files, a real PostgreSQL holding the run and the runner's log_url, and the
// dashboard's own readers (tail and offset, search) — with its SWITCHYARD_LOG_DIR elsewhere.

const SECRET = "a-shared-secret-of-at-least-32-characters";
let db: TestDatabase;
let server: http.Server;
let base: string;
let runnerDir: string;
let webDir: string;
let runId: number;
const runs: Record<string, number> = {};
const saved = { secret: process.env.BETTER_AUTH_SECRET, logDir: process.env.SWITCHYARD_LOG_DIR };

async function runOf(runnerId: string, logUrl: string | null, file: string, port?: number): Promise<number> {
  await registerRunner(db.pool, { id: runnerId, pid: 1, version: null, host: { name: "node-7", cpuCount: 2, memoryTotalBytes: 1 << 30 }, logUrl: logUrl ?? (port ? `http://127.0.0.1:${port}` : null) });
  const service = (await db.pool.query("SELECT id FROM services WHERE name = 'remote'")).rows[0].id as number;
  const id = await seedRun(db.pool, { serviceId: service, date: `2026-11-${String(10 + Object.keys(runs).length).padStart(2, "0")}`, status: "done", host: "node-7", finishedAt: new Date().toISOString(), logPath: path.join(runnerDir, file) });
  await db.pool.query("UPDATE runs SET runner_id = $2 WHERE id = $1", [id, runnerId]);
  runs[runnerId] = id;
  return id;
}

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = SECRET;
  db = await createTestDatabase();
  runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-logs-"));
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), "web-logs-"));
  process.env.SWITCHYARD_LOG_DIR = webDir; // not the runner's folder
  const port = await freePort();
  server = startHealthServer({ pool: db.pool, runnerId: () => "r", port, host: "127.0.0.1", logs: { logDir: runnerDir, key: () => logReadKey(SECRET) } });
  base = `http://127.0.0.1:${port}`;
  await seedService(db.pool, { name: "remote" });
  runId = await runOf("runner-pod-1", base, "placeholder");
  await db.pool.query("UPDATE runs SET log_path = $2 WHERE id = $1", [runId, path.join(runnerDir, `run-${runId}.log`)]);
  fs.writeFileSync(path.join(runnerDir, `run-${runId}.log`), "x".repeat(LOG_TAIL_BYTES + 10) + "\nTraceback (most recent call last):\nthe end\n");
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await db?.drop();
  fs.rmSync(runnerDir, { recursive: true, force: true });
  fs.rmSync(webDir, { recursive: true, force: true });
  process.env.BETTER_AUTH_SECRET = saved.secret;
  process.env.SWITCHYARD_LOG_DIR = saved.logDir;
});

describe("a run's log read from the runner that wrote it", () => {
  it("gives the dashboard the tail, then what was appended, and finds a line anywhere in it", async () => {
    const first = (await getRunLog(db.pool, runId, null))!;
    const size = fs.statSync(path.join(runnerDir, `run-${runId}.log`)).size;
    expect(first).toMatchObject({ missing: false, size, start: size - LOG_TAIL_BYTES, host: "node-7" });
    expect(first.text.endsWith("Traceback (most recent call last):\nthe end\n")).toBe(true);
    expect(first.text.length).toBe(LOG_TAIL_BYTES);
    fs.appendFileSync(path.join(runnerDir, `run-${runId}.log`), "appended\n");
    const next = (await getRunLog(db.pool, runId, first.size))!;
    expect(next).toMatchObject({ text: "appended\n", start: first.size, missing: false });
    // the download: the whole log, streamed from the runner, up to the size announced
    const source = (await openRunLogSource(db.pool, runId, (await selectRunLogPath(db.pool, runId))!))!;
    const chunks: Buffer[] = [];
    for await (const chunk of await source.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(fs.readFileSync(path.join(runnerDir, `run-${runId}.log`)))).toBe(true);
    expect(source.size).toBe(size + 9);
    const found = (await searchRunLog(db.pool, runId, "traceback"))!;
    expect(found).toMatchObject({ missing: false, lines: 4, matches: [{ line: 2, text: "Traceback (most recent call last):" }] });
  });

  it("answers only requests marked with the shared secret, for exactly the log asked for", async () => {
    const target = `/run-logs/${runId}`;
    const key = logReadKey(SECRET);
    const ask = (path: string, headers: Record<string, string> = {}, method = "GET") => fetch(`${base}${path}`, { method, headers });
    expect((await ask(target)).status).toBe(401); // no mark
    expect((await ask(target, { [LOG_READ_HEADER]: signCall(logReadKey("another secret of at least 32 characters"), "GET", target) })).status).toBe(401);
    expect((await ask(target, { [LOG_READ_HEADER]: signCall(key, "GET", `/run-logs/${runId + 1000}`) })).status).toBe(401); // another run's mark
    expect((await ask(target, { [LOG_READ_HEADER]: signCall(key, "GET", target, Date.now() - 120_000) })).status).toBe(401); // stale
    const ok = await ask(`${target}?from=0&length=5`, { [LOG_READ_HEADER]: signCall(key, "GET", `${target}?from=0&length=5`) });
    expect([ok.status, await ok.text()]).toEqual([200, "xxxxx"]);
    // nothing but run-<id>.log: no other name, no path, and no symlink followed out of the folder
    fs.symlinkSync("/etc/hostname", path.join(runnerDir, "run-424242.log"));
    for (const p of ["/run-logs/../../etc/passwd", "/run-logs/%2e%2e%2fetc%2fpasswd", "/run-logs/424242"]) {
      const res = await ask(p, { [LOG_READ_HEADER]: signCall(key, "GET", p) });
      expect(res.status, p).toBe(404);
    }
    expect((await ask(`${target}?from=-1`, { [LOG_READ_HEADER]: signCall(key, "GET", `${target}?from=-1`) })).status).toBe(400);
    expect((await ask("/healthz")).status).toBe(503); // the health check is still there (no heartbeat for "r")
  });

  it("says why when the runner is gone or has no such file, and a log in the web's own folder needs no runner", async () => {
    const gone = await runOf("runner-pod-gone", `http://127.0.0.1:${await freePort()}`, "run-gone.log");
    expect(await getRunLog(db.pool, gone, null)).toMatchObject({ missing: true, refused: expect.stringMatching(/^the runner that wrote it \(http:\/\/127\.0\.0\.1:\d+\) did not answer/) });
    const absent = await runOf("runner-pod-2", base, "run-absent.log");
    const none = (await getRunLog(db.pool, absent, null))!;
    expect([none.missing, none.refused]).toEqual([true, undefined]); // the runner has no such log: just missing
    // written where the web reads (one machine, or a shared folder): read there, the runner not asked
    const local = await runOf("runner-pod-3", "http://127.0.0.1:9", "unused");
    fs.writeFileSync(path.join(webDir, "local.log"), "here\n");
    await db.pool.query("UPDATE runs SET log_path = $2 WHERE id = $1", [local, path.join(webDir, "local.log")]);
    expect(await getRunLog(db.pool, local, null)).toMatchObject({ missing: false, text: "here\n" });
  });

  it("once the runner is gone, shows, searches and downloads the end of the log it kept in the database", async () => {
    const gone = await runOf("runner-pod-evicted", `http://127.0.0.1:${await freePort()}`, "run-evicted.log");
    const file = path.join(runnerDir, "evicted.log");
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i + 1} of the load step`);
    fs.writeFileSync(file, `${lines.join("\n")}\nTraceback (most recent call last):\nValueError: bad row 17\n`);
    expect(await keepLogTail(db.pool, gone, file, 4096)).toBe(true);
    const size = fs.statSync(file).size;
    const log = (await getRunLog(db.pool, gone, null))!;
    expect(log).toMatchObject({ missing: false, size, start: size - 4096, kept: expect.stringMatching(/^Showing its last 4 KiB \(of [\d,]+ bytes\), kept in the database when the run ended \(.+ UTC\)\. The log file cannot be read: the runner that wrote it \(http:\/\/127\.0\.0\.1:\d+\) did not answer/) });
    expect(log.refused).toBeUndefined();
    expect(log.text.length).toBe(4096);
    expect(log.text.endsWith("Traceback (most recent call last):\nValueError: bad row 17\n")).toBe(true);
    expect((await getRunLog(db.pool, gone, size))!).toMatchObject({ text: "", size, start: size }); // nothing appended, ever
    const found = (await searchRunLog(db.pool, gone, "valueerror"))!;
    expect(found).toMatchObject({ missing: false, keptOnly: true, matches: [{ text: "ValueError: bad row 17" }] });
    const source = (await openRunLogSource(db.pool, gone, (await selectRunLogPath(db.pool, gone))!))!;
    const chunks: Buffer[] = [];
    for await (const chunk of await source.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(fs.readFileSync(file).subarray(size - 4096))).toBe(true);
    // a runner that answers but no longer has it (a new pod at the same address): the kept end too
    const replaced = await runOf("runner-pod-replaced", base, "run-replaced.log");
    await keepLogTail(db.pool, replaced, file, 100_000_000);
    expect((await getRunLog(db.pool, replaced, null))!).toMatchObject({ missing: false, start: size - 64 * 1024, kept: expect.stringMatching(/^Showing the whole log, .* no longer has it\.$/) });
  });
});
