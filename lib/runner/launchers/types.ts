// What a launcher does for the runner: start one run's command somewhere (a child process on
// this machine, a Kubernetes Job), report how it ended, stop it on request.

export type LaunchSpec = {
  runId: number;
  attempt: number;
  service: string;
  kind: "daily" | "hourly";
  /** "2026-11-22" or "2026-11-22T07" */
  period: string;
  argv: string[];
  /** the folder to run in (the service's workingDirectory); null = the launcher's default */
  workingDirectory?: string | null;
  /** the service's environment and the run's SWITCHYARD_* variables (not the runner's own) */
  env: Record<string, string>;
  labels: Record<string, string>;
  logPath: string;
  timeoutSeconds: number;
};

export type ProcessExit = { exitCode: number | null; signal: string | null; launchError?: string };

export type Usage = { cpuSeconds: number | null; peakMemoryBytes: number | null };

export type LaunchedProcess = {
  /** local: the process group id; Kubernetes: null */
  pid: number | null;
  /** Kubernetes: the Job name; local: null */
  externalId: string | null;
  /** Settles once the command has ended and its output is in the log. Never rejects. */
  finished: Promise<ProcessExit>;
  /** Ask it to stop, then force it after graceMs; resolves once nothing of it is left running. */
  stop(graceMs: number): Promise<void>;
  usage(): Usage;
};

export type Launcher = {
  name: "local" | "kubernetes";
  launch(spec: LaunchSpec): Promise<LaunchedProcess>;
  /** Called every few seconds by the runner: refresh CPU and memory figures of what is running. */
  sample?(): Promise<void>;
};
