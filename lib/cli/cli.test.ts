import { describe, expect, it } from "vitest";
import { runSwitchyard } from "@/lib/testing/processes";

// The real CLI, as a child process: what an operator sees when something is wrong.

describe("switchyard CLI", () => {
  it("fails fast with one clear line when DATABASE_URL points nowhere", async () => {
    const started = Date.now();
    const proc = runSwitchyard(["start"], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/x", PORT: "3991", SCHEDULER_PORT: "8991" });
    const code = await proc.exited;
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = proc.output().trim().split("\n").filter((l) => !l.includes("nodedir"));
    expect(lines).toEqual(["switchyard start: cannot connect to PostgreSQL at 127.0.0.1:1/x: connection refused. Is the server running? Check DATABASE_URL, or unset it to use the embedded database."]);
  });

  it("names the bad variable and exits 2", async () => {
    const proc = runSwitchyard(["migrate"], { SCHEDULER_PORT: "eighty" });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain('SCHEDULER_PORT: expected a port number from 1 to 65535 (got "eighty")');
  });

  it("checks the alert settings the web's alert loop uses before it starts", async () => {
    const proc = runSwitchyard(["web"], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/x", SWITCHYARD_ALERT_TICK_SECONDS: "fast" });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/SWITCHYARD_ALERT_TICK_SECONDS: .*number/);
  });

  it("rejects an unknown command and an unknown option", async () => {
    const a = runSwitchyard(["frobnicate"]);
    expect(await a.exited).toBe(2);
    expect(a.output()).toContain('unknown command "frobnicate"');
    const b = runSwitchyard(["web", "--prot", "1"]);
    expect(await b.exited).toBe(2);
    expect(b.output()).toContain("unknown option --prot");
  });

  it.each(["start", "web", "scheduler", "runner", "migrate", "doctor", "run", "user"])("has --help for %s", async (command) => {
    const proc = runSwitchyard([command, "--help"]);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain(`Usage: switchyard ${command}`);
  });
});
