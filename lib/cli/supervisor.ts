import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Logger } from "@/lib/log/logger";

// `switchyard start` runs each part as a child process: a crash in one part is logged and the
// part restarted, without taking the others down. Children get their own process group so that
// a Ctrl-C reaches only us, and we stop them in order (the parts, the scheduler after the
// others, the database last).
// Exit code 2 from a child means a configuration problem (a taken port, a bad flag): restarting
// cannot help, so the whole start stops with that child's message.

export type PartSpec = {
  name: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** The other parts reach this one while they stop (the scheduler): it is stopped after them. */
  stopLast?: boolean;
};

type Part = PartSpec & { child?: ChildProcess; restarts: number; timer?: NodeJS.Timeout };

export class Supervisor {
  private parts: Part[] = [];
  private stopping = false;
  private fatal?: (reason: string) => void;
  readonly failed: Promise<string>;

  constructor(
    private readonly root: string,
    private readonly logger: Logger,
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {
    this.failed = new Promise((resolve) => (this.fatal = resolve));
  }

  start(spec: PartSpec) {
    const part: Part = { ...spec, restarts: 0 };
    this.parts.push(part);
    this.launch(part);
  }

  private launch(part: Part) {
    const child = spawn(process.execPath, [path.join(this.root, "bin", "switchyard.mjs"), ...part.args], {
      cwd: this.root,
      env: Object.assign({}, this.baseEnv, part.env, { SWITCHYARD_PARENT_PID: String(process.pid) }),
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    part.child = child;
    const startedAt = Date.now();
    child.once("exit", (code, signal) => {
      part.child = undefined;
      if (this.stopping) return;
      if (code === 2) {
        this.fatal?.(`${part.name} cannot start (see its message above)`);
        return;
      }
      // A part that ran for a while gets its restart budget back.
      if (Date.now() - startedAt > 60_000) part.restarts = 0;
      const delay = Math.min(30_000, 1000 * 2 ** part.restarts++);
      this.logger.error(`${part.name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      part.timer = setTimeout(() => this.launch(part), delay);
    });
  }

  /** Passes a signal to one part (SIGHUP to the runner re-reads its services file). */
  signal(name: string, signal: NodeJS.Signals) {
    const child = this.parts.find((p) => p.name === name)?.child;
    if (child?.pid) child.kill(signal);
  }

  /**
   * SIGTERMs the parts and waits for them (SIGKILL after the grace period): first all but those
   * marked stopLast, together, then those — the runner requeues its runs and its runs' workers
   * report to a scheduler that is still there.
   */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const part of this.parts) clearTimeout(part.timer);
    await Promise.all(this.parts.filter((p) => !p.stopLast).map((p) => this.stopPart(p, graceMs)));
    await Promise.all(this.parts.filter((p) => p.stopLast).map((p) => this.stopPart(p, graceMs)));
  }

  private stopPart(part: Part, graceMs: number): Promise<void> {
    const child = part.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => {
        this.logger.warn(`${part.name} did not stop within ${graceMs / 1000} s; killing it`);
        signalGroup(child, "SIGKILL");
      }, graceMs);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      signalGroup(child, "SIGTERM");
    });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal); // the part and anything it started
  } catch {
    child.kill(signal);
  }
}
