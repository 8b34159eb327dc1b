/* eslint-disable @typescript-eslint/no-explicit-any */

import { randomUUID } from "node:crypto";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma 6.19 "js" schema engine (wasm, shipped inside the prisma npm package) driven
// through @prisma/adapter-pg, so no schema-engine binary is downloaded. Two workarounds:
// 1) prisma/orm#27403: adapter-pg rejects catalog types `name` (19) / `"char"` (18) that
//    the schema engine reads while introspecting; report them as text.
function fixFields(res: any) {
  for (const r of Array.isArray(res) ? res : [res]) {
    for (const f of r?.fields ?? []) {
      if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25; // -> text
      if (f.dataTypeID === 1003 || f.dataTypeID === 1002) f.dataTypeID = 1009; // -> text[]
    }
  }
  return res;
}
class MigrateClient extends pg.Client {
  query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last];
      args[last] = (err: unknown, res: unknown) => cb(err, err ? res : fixFields(res));
    } else if (args[0] && typeof args[0] === "object" && typeof args[0].callback === "function") {
      const cb = args[0].callback;
      args[0].callback = (err: unknown, res: unknown) => cb(err, err ? res : fixFields(res));
    }
    const r: any = (super.query as any)(...args);
    return r && typeof r.then === "function" ? r.then(fixFields) : r;
  }
}

if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL must be set for the Prisma CLI (switchyard migrate sets it)");
const u = new URL(process.env.DATABASE_URL);
const base: pg.PoolConfig = {
  host: u.hostname,
  port: Number(u.port || 5432),
  user: decodeURIComponent(u.username),
  password: decodeURIComponent(u.password),
  database: u.pathname.slice(1),
  Client: MigrateClient,
  idleTimeoutMillis: 200, // let the CLI exit promptly (pools are not always closed)
};

// 2) adapter-pg's own connectToShadowDb spreads a connectionString (which overrides the
//    shadow `database`, so it hits the main DB) and drops the shadow DB before closing its
//    pool. Do it properly here (needs CREATEDB for the role, PG >= 13 for WITH (FORCE)).
class PrismaPgMigrate extends PrismaPg {
  async connectToShadowDb() {
    const admin = new pg.Client(base);
    await admin.connect();
    const db = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${db}"`);
    const adapter = await new PrismaPg({ ...base, database: db }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await admin.end();
    };
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPgMigrate(base),
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});

// The wasm schema engine leaves 10 s / 60 s timers running after it is done, which keeps
// `prisma migrate dev|deploy` / `db push` alive for up to a minute. Unref long timers
// in this CLI-only process so it exits as soon as the work is finished.
{
  const orig = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: any[]) => void, ms?: number, ...rest: any[]) => {
    const t = orig(fn, ms, ...rest);
    if ((ms ?? 0) >= 5000) t.unref?.();
    return t;
  }) as typeof setTimeout;
}
