import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "@/lib/paths";

// Real child processes for tests: the `switchyard` CLI itself, stopped by its own pid.

export { repoRoot };

export type Proc = { child: ChildProcess; output(): string; exited: Promise<number | null>; stop(signal?: NodeJS.Signals): Promise<number | null> };

export function runSwitchyard(args: string[], env: Record<string, string | undefined> = {}): Proc {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin", "switchyard.mjs"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
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
