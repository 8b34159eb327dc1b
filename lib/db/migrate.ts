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
          const detail = (stderr || stdout).split("\n").filter((l) => l.trim() && !l.includes("nodedir")).slice(-4).join(" ");
          reject(new Error(`migrations failed: ${detail || error.message}`));
        } else resolve({ output: stdout });
      },
    );
  });
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
