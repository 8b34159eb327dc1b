import os from "node:os";
import pg from "pg";
import type { Logger } from "@/lib/log/logger";

// One active scheduler per database. The active one holds a session-level advisory lock on a
// connection of its own, and every group commit runs on THAT connection: once the lock is gone
// (the session ended), no commit of this process can land, so two actives can never both
// acknowledge a change. Standbys poll for the lock; the one that gets it bumps the leader epoch in
// scheduler_meta before loading the state. A process that lost its connection and gets the lock
// back finds out from the epoch whether anyone else was active meanwhile (then its memory is stale).

const LOCK_KEY = 0x5717_ac71; // any constant: the key of "the active scheduler" (other keys: claim-runs, sync-services)
const POLL_MS = 200;
const HEARTBEAT_MS = 1000;
// A heartbeat waits behind a flush on the same connection, so its timeout must exceed any flush;
// fencing does not depend on it (a dead session cannot commit), only noticing a silent partition.
const HEARTBEAT_TIMEOUT_MS = 10_000;

export type Reacquired = "resumed" | "deposed" | "unreachable";

export class LockLost extends Error {
  constructor() {
    super("the scheduler lost its database connection (and with it the active lock)");
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LeaderLock {
  private client: pg.Client | null = null;
  private lastPid = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private tail: Promise<void> = Promise.resolve();
  private busy = 0;
  private closed = false;
  /** The epoch this process took when it last became active. */
  epoch = 0;
  /** Called once each time the held lock is lost (the connection ended or stopped answering). */
  onLost: () => void = () => {};
  /** While waiting: the URL the active process advertises (its leader row), null if none. */
  activeUrl: string | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly synchronousCommit = true,
    private readonly advertiseUrl: string | null = null,
  ) {}

  get held(): boolean {
    return this.client !== null;
  }

  /**
   * Runs a query on the connection that holds the lock (group commits and the restore must), one
   * at a time: pg deprecates queueing a query on a busy client, and the heartbeat shares it.
   */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: string | pg.QueryConfig): Promise<pg.QueryResult<R>> {
    const client = this.client;
    if (!client) return Promise.reject(new LockLost());
    this.busy++;
    const run = this.tail.then(() => client.query<R>(config as pg.QueryConfig));
    this.tail = run.then(
      () => void this.busy--,
      () => void this.busy--,
    );
    return run;
  }

  /** Waits until this process holds the lock (polling), then takes a new epoch; `onWaiting` runs once if it has to wait. */
  async acquire(onWaiting: () => void = () => {}): Promise<void> {
    let waiting = false;
    while (!this.closed) {
      let client: pg.Client | null = null;
      try {
        client = await this.connect();
        while (!this.closed) {
          const { ok, url } = await tryLock(client);
          if (ok) break;
          this.activeUrl = url;
          if (!waiting) {
            this.logger.info("another scheduler is active on this database: standing by");
            onWaiting();
          }
          waiting = true;
          await sleep(POLL_MS);
        }
        this.activeUrl = null;
        if (this.closed) {
          await client.end().catch(() => {});
          break;
        }
        const { rows } = await client.query<{ epoch: number }>(BUMP_EPOCH_SQL, [process.pid, os.hostname(), this.advertiseUrl]);
        this.epoch = rows[0].epoch;
        this.adopt(client);
        return;
      } catch (error) {
        this.logger.debug("waiting for the database to take the active lock", { error });
        await client?.end().catch(() => {});
        await sleep(POLL_MS);
      }
    }
    throw new Error("closed while waiting for the active lock");
  }

  /** After a lost connection: gets the lock back only if nobody else was active meanwhile. */
  async reacquire(): Promise<Reacquired> {
    let client: pg.Client;
    try {
      client = await this.connect();
    } catch {
      return "unreachable";
    }
    try {
      if (!(await tryLock(client)).ok) {
        // Our own old session may not have ended yet (a partition): wait for it, never give up to it.
        const holder = await client.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = 0 AND objid = $1 AND objsubid = 1", [LOCK_KEY]);
        await client.end();
        return holder.rows[0]?.pid === this.lastPid ? "unreachable" : "deposed";
      }
      const { rows } = await client.query<{ epoch: number | null }>("SELECT (value->>'epoch')::int AS epoch FROM scheduler_meta WHERE key = 'leader'");
      if (rows[0]?.epoch !== this.epoch) {
        await client.end();
        return "deposed";
      }
      this.adopt(client);
      return "resumed";
    } catch {
      await client.end().catch(() => {});
      return "unreachable";
    }
  }

  /** Ends the lock's session: the lock is released at once for a standby to take. */
  async release(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.drop(client);
    await client?.end().catch(() => {});
  }

  /**
   * Another connection to the same database (the checkpoint's: fenced by the epoch, not by this
   * lock), whose statements are planned for their parameters each time (store/write.ts).
   */
  connectAnother(applicationName: string): Promise<pg.Client> {
    return this.connect(applicationName, "force_custom_plan");
  }

  private async connect(applicationName = "switchyard-scheduler", planCacheMode = "force_generic_plan"): Promise<pg.Client> {
    // Server-side keepalives end the session (and free the lock) within ~4 s of a silent partition.
    // Sequential scans off: every statement of the scheduler reads by index, and the restore,
    // which reads whole tables, turns them back on for itself (store/load.ts). On the lock's
    // connection (the journal's one-row inserts, the restore) plans are made once; on the
    // checkpoint's, for each statement's sizes (store/write.ts).
    const options = `-c synchronous_commit=${this.synchronousCommit ? "on" : "off"} -c plan_cache_mode=${planCacheMode} -c enable_seqscan=off -c tcp_keepalives_idle=2 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=2`;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, query_timeout: 30_000, keepAlive: true, keepAliveInitialDelayMillis: 1_000, options, application_name: applicationName });
    client.on("error", () => {}); // the 'end' event that follows is what counts
    await client.connect();
    return client;
  }

  private adopt(client: pg.Client): void {
    this.client = client;
    this.lastPid = (client as unknown as { processID: number }).processID;
    client.once("end", () => {
      if (this.client !== client) return;
      this.drop(client);
      this.logger.error("lost the database connection that holds the active lock: no change is acknowledged until it is back");
      this.onLost();
    });
    this.heartbeat = setInterval(() => {
      if (this.busy > 0 || this.client !== client) return; // a query in flight is a heartbeat of its own
      this.query({ text: "SELECT 1", query_timeout: HEARTBEAT_TIMEOUT_MS } as pg.QueryConfig).catch(() => void client.end().catch(() => {}));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private drop(client: pg.Client | null): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/** Tries the lock; in the same round trip, the URL the holder advertises (its leader row), for a standby to forward to. */
async function tryLock(client: pg.Client): Promise<{ ok: boolean; url: string | null }> {
  const { rows } = await client.query<{ ok: boolean; url: string | null }>(
    "SELECT pg_try_advisory_lock($1) AS ok, (SELECT value->>'url' FROM scheduler_meta WHERE key = 'leader') AS url",
    [LOCK_KEY],
  );
  return rows[0];
}

const BUMP_EPOCH_SQL = `
INSERT INTO scheduler_meta (key, value, written_at) VALUES ('leader', json_build_object('epoch', 1, 'pid', $1::int, 'host', $2::text, 'url', $3::text), now())
ON CONFLICT (key) DO UPDATE SET value = json_build_object('epoch', COALESCE((scheduler_meta.value->>'epoch')::int, 0) + 1, 'pid', $1::int, 'host', $2::text, 'url', $3::text), written_at = now()
RETURNING (value->>'epoch')::int AS epoch`;
