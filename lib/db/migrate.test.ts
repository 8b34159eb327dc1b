import { describe, expect, it } from "vitest";
import { migrationFailure } from "@/lib/db/migrate";

// Prisma's output for a migration PostgreSQL refused (recorded from `prisma migrate deploy`).
const REFUSED = `Loaded Prisma config from prisma.config.ts.
Prisma config detected, skipping environment variable loading.
Error: external connector error
Error querying the database: ERROR: syntax error at or near "the"
   0: schema_core::commands::apply_migrations::Applying migration
           with migration_name="20261206090000_journal_inline"
             at schema-engine/core/src/commands/apply_migrations.rs:91
   1: schema_core::state::ApplyMigrations
             at schema-engine/core/src/state.rs:226`;

describe("migrationFailure", () => {
  it("keeps what the database said and the migration's name, not Prisma's stack", () => {
    expect(migrationFailure(REFUSED)).toBe('Error querying the database: ERROR: syntax error at or near "the" with migration_name="20261206090000_journal_inline"');
  });

  it("falls back to the last lines that are not a stack", () => {
    expect(migrationFailure("Loaded Prisma config.\nsomething else went wrong\n   0: frame\n      at x.rs:1")).toBe("Loaded Prisma config. something else went wrong");
  });
});
