import pg from "pg";
import type { Target } from "./local-target";

// Like luigi.contrib.postgres.PostgresTarget: a load is complete when its update id is recorded in a
// marker table, and the marker is written in the same transaction as the rows. A crash mid-load
// therefore leaves neither rows nor marker, and a forced re-run replaces the rows and refreshes the
// marker in one commit. Marker table layout is Luigi's: (update_id PK, target_table, inserted).

export type PostgresMarkerOptions = {
  /** what identifies this load; by convention the task id */
  updateId: string;
  /** the table being loaded, recorded in the marker row (e.g. "demo.account_daily") */
  table: string;
  /** defaults to the DATABASE_URL environment variable */
  databaseUrl?: string;
  /** Luigi's default is "table_updates"; may be schema-qualified ("demo.table_updates") */
  markerTable?: string;
};

const pools = new Map<string, pg.Pool>();

/** One small pool per database per process; idle pools do not keep the process alive. */
export function sharedPool(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 3, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
    pool.on("error", () => {}); // an idle client dropping must not crash a worker
    pools.set(url, pool);
  }
  return pool;
}

export async function closeSharedPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}

/** "demo.table_updates" → "demo"."table_updates" */
export function quoteIdent(name: string): string {
  return name
    .split(".")
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join(".");
}

const ddlLockKey = 0x5357_4459; // "SWDY": serialises CREATE ... IF NOT EXISTS across processes
const prepared = new Set<string>();

export class PostgresMarkerTarget implements Target {
  readonly updateId: string;
  readonly table: string;
  readonly markerTable: string;
  private readonly url: string | undefined;

  constructor(options: PostgresMarkerOptions) {
    this.updateId = options.updateId;
    this.table = options.table;
    this.markerTable = options.markerTable ?? "table_updates";
    this.url = options.databaseUrl ?? process.env.DATABASE_URL;
  }

  toString(): string {
    return `postgres:${this.markerTable}[${this.updateId}]`;
  }

  get databaseUrl(): string {
    if (!this.url) throw new Error(`${this.toString()}: no database (set DATABASE_URL)`);
    return this.url;
  }

  async exists(): Promise<boolean> {
    try {
      const r = await sharedPool(this.databaseUrl).query(`SELECT 1 FROM ${quoteIdent(this.markerTable)} WHERE update_id = $1 LIMIT 1`, [this.updateId]);
      return r.rowCount! > 0;
    } catch (error) {
      if ((error as { code?: string }).code === "42P01" || (error as { code?: string }).code === "3F000") return false; // no marker table yet
      throw error;
    }
  }

  /**
   * Runs DDL (CREATE SCHEMA/TABLE IF NOT EXISTS ...) in its own committed transaction under a
   * cluster-wide advisory lock: two processes creating the same table at once would otherwise fail
   * with a duplicate-key error from the catalog. Creates the marker table too.
   */
  async prepare(ddl: string[] = []): Promise<void> {
    const schema = this.markerTable.includes(".") ? this.markerTable.split(".")[0] : null;
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(this.markerTable)} (update_id TEXT PRIMARY KEY, target_table TEXT, inserted TIMESTAMP DEFAULT NOW())`,
      ...ddl,
    ];
    const key = `${this.databaseUrl}\n${statements.join("\n")}`;
    if (prepared.has(key)) return;
    const client = await sharedPool(this.databaseUrl).connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [ddlLockKey]);
      // Created only when missing: a role that owns its schema may not have CREATE on the database,
      // and PostgreSQL checks that even for CREATE SCHEMA IF NOT EXISTS.
      if (schema && !(await client.query("SELECT to_regnamespace($1) AS s", [quoteIdent(schema)])).rows[0].s) await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      for (const sql of statements) await client.query(sql);
      await client.query("COMMIT");
      prepared.add(key);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * One transaction: `loadRows(client)` writes the data, then the marker is recorded (or refreshed
   * on a forced re-run); both commit together or not at all.
   */
  async load<T>(loadRows: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.prepare();
    const client = await sharedPool(this.databaseUrl).connect();
    try {
      await client.query("BEGIN");
      const result = await loadRows(client);
      await client.query(
        `INSERT INTO ${quoteIdent(this.markerTable)} (update_id, target_table) VALUES ($1, $2)
         ON CONFLICT (update_id) DO UPDATE SET target_table = EXCLUDED.target_table, inserted = NOW()`,
        [this.updateId, this.table],
      );
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Forgets the load (the rows stay): the next run will load again. */
  async remove(): Promise<void> {
    await sharedPool(this.databaseUrl).query(`DELETE FROM ${quoteIdent(this.markerTable)} WHERE update_id = $1`, [this.updateId]);
  }
}
