import type pg from "pg";
import { createPool } from "@/lib/db/pool";

// The web app's and daemons' shared pool, created on first use from DATABASE_URL (which
// `switchyard start` always sets, pointing at the embedded database when none was given).
// Kept on globalThis so Next's dev-mode reloads do not open a new pool per edit.

const holder = globalThis as unknown as { __switchyardPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (!holder.__switchyardPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the web app with `switchyard web` or `npm start`");
    holder.__switchyardPool = createPool(url, { max: 10 });
  }
  return holder.__switchyardPool;
}

/** Ends the shared pool, if one was made: its idle connections would keep a stopping process alive for seconds. */
export async function closePool(): Promise<void> {
  const pool = holder.__switchyardPool;
  holder.__switchyardPool = undefined;
  await pool?.end().catch(() => {});
}
