import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOrCreatePassword, shellDatabaseUrl } from "@/lib/db/embedded";

// The line `switchyard start` and `doctor` print for other commands: pasted into a shell it gives
// the owner's real URL, and the password itself is never in the printed text.

describe("shellDatabaseUrl", () => {
  it("is a shell line that reads the password when it runs, even from a home with a quote and a space in its path", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "it's a home-"));
    try {
      const password = readOrCreatePassword(home, "postgres.password");
      const line = shellDatabaseUrl(home, 55999);
      expect(line).not.toContain(password);
      const url = execFileSync("/bin/sh", ["-c", `${line}; printf %s "$DATABASE_URL"`], { encoding: "utf8" });
      expect(url).toBe(`postgresql://switchyard:${password}@127.0.0.1:55999/switchyard`);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
