import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@/lib/paths";

// Real child processes for tests: the `switchyard` CLI itself, stopped by its own pid. A child
// given no SWITCHYARD_HOME gets a folder of its own, removed when it exits, so no test writes into
// the checkout's .switchyard (the web makes auth.secret there at its first start).

export { repoRoot };

/** output(): stdout and stderr as they came; stdout(): what the process printed as its answer, alone. */
export type Proc = { child: ChildProcess; output(): string; stdout(): string; exited: Promise<number | null>; stop(signal?: NodeJS.Signals): Promise<number | null> };

export function runSwitchyard(args: string[], env: Record<string, string | undefined> = {}): Proc {
  const ownHome = env.SWITCHYARD_HOME === undefined && !process.env.SWITCHYARD_HOME ? fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-cli-home-")) : null;
  const child = spawn(process.execPath, [path.join(repoRoot, "bin", "switchyard.mjs"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...(ownHome ? { SWITCHYARD_HOME: ownHome } : {}), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (ownHome) child.once("exit", () => fs.rmSync(ownHome, { recursive: true, force: true }));
  let output = "";
  let stdout = "";
  child.stdout!.on("data", (d) => {
    output += d;
    stdout += d;
  });
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function waitForUrl(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process exited (${proc.child.exitCode}) before ${url} answered:\n${proc.output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.output()}`);
}
