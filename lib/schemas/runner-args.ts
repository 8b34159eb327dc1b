import { z } from "zod";

// `switchyard runner` flags, parsed with zod so a bad value stops the start with a line naming
// the flag. Kept apart from the daemon so --help and the tests read the same list.

const count = (flag: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${flag} expects a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `--${flag} must be at least ${min}`));

export const runnerFlagsSchema = z.strictObject({
  services: z.string().min(1).optional(),
  "scheduler-url": z.url("--scheduler-url expects a URL such as http://127.0.0.1:8082").optional(),
  "max-running": count("max-running", 1).optional(),
  "host-limit": count("host-limit", 1).optional(),
  "catch-up-days": count("catch-up-days", 0).default(7),
  "catch-up-hours": count("catch-up-hours", 0).default(6),
  "clock-speed": z
    .string()
    .regex(/^\d+(\.\d+)?$/, "--clock-speed expects a number such as 60")
    .transform(Number)
    .pipe(z.number().min(0.001, "--clock-speed must be positive"))
    .default(1),
  "clock-start": z.iso.datetime({ offset: true, error: "--clock-start expects an ISO time such as 2026-11-22T00:00:00Z" }).optional(),
  launcher: z.enum(["local", "kubernetes"], "--launcher is local or kubernetes").default("local"),
  "kube-namespace": z.string().default("default"),
  "kube-image": z.string().optional(),
  "no-trigger": z.boolean().default(false),
  "log-dir": z.string().optional(),
  "health-port": z.string().regex(/^\d+$/, "--health-port expects a port number").transform(Number).pipe(z.number().int().min(1).max(65535)).optional(),
  help: z.boolean().default(false),
});

export type RunnerFlags = z.output<typeof runnerFlagsSchema>;

export const runnerFlagHelp: Record<string, { type: "string" | "boolean"; help: string }> = {
  services: { type: "string", help: "services config file (JSON) to validate and sync into the database at start" },
  "scheduler-url": { type: "string", help: "the scheduler's URL (default SCHEDULER_URL, or http://127.0.0.1:SCHEDULER_PORT)" },
  "max-running": { type: "string", help: "runs this runner may have running at once (default: CPU count)" },
  "host-limit": { type: "string", help: "runs on this host across all its runners (default: no limit)" },
  "catch-up-days": { type: "string", help: "daily periods missed up to this many days ago are queued at start (default 7)" },
  "catch-up-hours": { type: "string", help: "hourly periods missed up to this many hours ago are queued at start (default 6)" },
  "clock-speed": { type: "string", help: "trigger clock speed: 60 makes an hour pass in a minute (demos, tests; default 1)" },
  "clock-start": { type: "string", help: "the trigger clock's start time, ISO 8601 (default now; with --clock-speed)" },
  launcher: { type: "string", help: "local (child processes, default) or kubernetes (one Job per run)" },
  "kube-namespace": { type: "string", help: "Kubernetes namespace for Jobs (default: default)" },
  "kube-image": { type: "string", help: "container image for Jobs (required with --launcher kubernetes)" },
  "no-trigger": { type: "boolean", help: "only claim and launch; leave triggering to other runners" },
  "log-dir": { type: "string", help: "folder for run logs (default SWITCHYARD_LOG_DIR, else $SWITCHYARD_HOME/runs)" },
  "health-port": { type: "string", help: "serve GET /healthz on this port (200 while the heartbeat is fresh; for Kubernetes probes)" },
};
