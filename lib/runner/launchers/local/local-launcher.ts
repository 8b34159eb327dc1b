import { redactUrls } from "@/lib/luigi-rpc/url";
import { spawn } from "node:child_process";
import { groupAlive, readGroupStats, signalGroup } from "@/lib/runner/host/proc-stats";
import { lifelineArgv, parseTimes } from "@/lib/runner/launchers/local/lifeline";
import { runEnvironment } from "@/lib/runner/launchers/local/run-environment";
import { RotatingLog, type RotatingLogOptions } from "@/lib/runner/launchers/local/rotating-log";
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit, Usage } from "@/lib/runner/launchers/types";

// Local launcher: the run's command as a child process in its own process group, with the
// service's environment on top of an allowlisted few of the runner's variables (run-environment.ts), stdout and stderr into a size-capped log file.
// Cancel is SIGTERM to the group, then SIGKILL to whatever is left after the grace period.

export type LocalLauncherOptions = {
  cwd: string;
  /** the environment the allowlist picks from (the runner's own, by default) */
  baseEnv?: Record<string, string | undefined>;
  /** more variable names runs may see (a trailing * is a prefix); tests use it for their knobs */
  passEnv?: readonly string[];
  log?: RotatingLogOptions;
};

const POLL_MS = 50;

export function createLocalLauncher(options: LocalLauncherOptions): Launcher {
  const running = new Map<number, RunUsage>();
  return {
    name: "local",
    async launch(spec) {
      const usage: RunUsage = { pgid: 0, cpuSeconds: null, peakMemoryBytes: null };
      const proc = start(spec, options, usage);
      if (proc.pid) {
        running.set(proc.pid, usage);
        void proc.finished.then(() => running.delete(proc.pid!));
      }
      return proc;
    },
    async sample() {
      const stats = readGroupStats(running.keys());
      for (const [pgid, s] of stats) {
        const u = running.get(pgid)!;
        u.cpuSeconds = Math.max(u.cpuSeconds ?? 0, s.cpuSeconds);
        u.peakMemoryBytes = Math.max(u.peakMemoryBytes ?? 0, s.rssBytes);
      }
    },
  };
}

type RunUsage = { pgid: number; cpuSeconds: number | null; peakMemoryBytes: number | null };

function start(spec: LaunchSpec, options: LocalLauncherOptions, usage: RunUsage): LaunchedProcess {
  const log = new RotatingLog(spec.logPath, options.log ?? { maxBytes: 10 * 1024 * 1024, keep: 2 });
  // the log is readable from the dashboard: the scheduler URL's credentials are not written to it
  log.note(`run ${spec.runId} attempt ${spec.attempt}: ${redactUrls(spec.argv.join(" "))}`);
  const [file, ...args] = lifelineArgv(spec.argv);
  const child = spawn(file, args, {
    cwd: spec.workingDirectory ?? options.cwd,
    env: runEnvironment(options.baseEnv ?? process.env, spec.env, options.passEnv) as NodeJS.ProcessEnv,
    // stdin: the lifeline pipe (never written); fd 3: the wrapper's `times` report.
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    detached: true,
  });
  const pgid = child.pid ?? 0;
  usage.pgid = pgid;
  let times = "";
  child.stdout!.on("data", (d: Buffer) => log.write(d));
  child.stderr!.on("data", (d: Buffer) => log.write(d));
  (child.stdio[3] as NodeJS.ReadableStream | null)?.on("data", (d: Buffer) => (times += d.toString()));
  // A write to the lifeline pipe never happens; an error on it only means the wrapper is gone.
  child.stdin!.on("error", () => {});

  const finished = new Promise<ProcessExit>((resolve) => {
    child.once("error", (error) => {
      log.note(`could not start: ${error.message}`);
      log.close();
      resolve({ exitCode: null, signal: null, launchError: error.message });
    });
    child.once("exit", (code, signal) => {
      // The wrapper is gone; anything it left in the group (daemonised helpers) goes too, so a
      // finished run never leaves a process behind.
      if (pgid) signalGroup(pgid, "SIGKILL");
      // Give the pipes a moment to deliver the last output, but never wait on a grandchild
      // that holds them open.
      const settle = setTimeout(() => finish(), 500);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(settle);
        const reported = parseTimes(times);
        if (reported !== null) usage.cpuSeconds = Math.max(usage.cpuSeconds ?? 0, reported);
        log.note(signal ? `ended: killed by ${signal}` : `ended: exit code ${code}`);
        log.close();
        child.stdin!.destroy();
        resolve({ exitCode: code, signal });
      };
      child.once("close", finish);
    });
  });

  return {
    pid: pgid || null,
    externalId: null,
    finished,
    async stop(graceMs) {
      if (!pgid) return;
      log.note(`stopping: SIGTERM to the process group, SIGKILL after ${graceMs} ms`);
      signalGroup(pgid, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while (groupAlive(pgid) && Date.now() < deadline) await sleep(POLL_MS);
      if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
      while (groupAlive(pgid)) await sleep(POLL_MS);
      await finished;
    },
    usage: (): Usage => ({ cpuSeconds: usage.cpuSeconds, peakMemoryBytes: usage.peakMemoryBytes }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
