import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".switchyard/**"],
    // One embedded PostgreSQL for the whole run; each test file clones a migrated template.
    globalSetup: ["./lib/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time: most wait on processes, sockets and commits rather than CPU, so two
    // forks finish the suite in ~600 s instead of ~870 s on this 2-core host. Each file has its own
    // database; a test that cuts connections cuts only its own (its database, its proxy, its PostgreSQL).
    maxWorkers: 2,
  },
});
