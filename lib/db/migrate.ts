import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";

// Migrations are Prisma's (prisma/migrations, applied by `prisma migrate deploy` with the
// WebAssembly schema engine — no binary download, see prisma.config.ts and STACK.md).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function applyMigrations(databaseUrl: string, signal?: AbortSignal): Promise<{ output: string }> {
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, "migrate", "deploy"],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" }, timeout: 120_000, signal },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`migrations failed: ${migrationFailure(stderr || stdout) || error.message}`));
        } else resolve({ output: stdout });
      },
    );
  });
}

/**
 * What the database said and which migration it was, from Prisma's output; its last lines are a
 * Rust stack ("at schema-engine/…") that tells an operator nothing.
 */
export function migrationFailure(output: string): string {
  const lines = output.split("\n").map((l) => l.trim()).filter((l) => l && !l.includes("nodedir"));
  const said = lines.filter((l) => /\bERROR:|^Error: P\d+|^Error querying|^Database error|migration_name=/.test(l));
  const picked = said.length > 0 ? said : lines.filter((l) => !/^\d+: |^at /.test(l)).slice(-4);
  return [...new Set(picked)].join(" ");
}

export type MigrationInfo = { name: string; finishedAt: Date | null } | null;

/** The newest applied migration, or null on a database that has none. */
export async function latestMigration(db: pg.Pool | pg.Client): Promise<MigrationInfo> {
  const exists = await db.query("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present");
  if (!exists.rows[0].present) return null;
  const result = await db.query(
    "SELECT migration_name, finished_at FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1",
  );
  const row = result.rows[0];
  return row ? { name: row.migration_name, finishedAt: row.finished_at } : null;
}
