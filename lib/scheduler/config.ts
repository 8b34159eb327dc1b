import fs from "node:fs";
import { z } from "zod";
import { IniSyntaxError, normalizeOption, parseIni, type IniSections } from "@/lib/scheduler/config-file";
import type { CoreConfig } from "@/lib/scheduler/core/context";

// luigid's configuration (SPEC §10): the [scheduler] options with luigid's names and defaults,
// [resources] capacities and [cors], read from a luigi.cfg-style file and overridable from the
// environment as LUIGI_SCHEDULER_<OPTION> (LUIGI_CORS_<OPTION> for [cors]). Switchyard's own
// server settings live in [switchyard] (env SWITCHYARD_SCHEDULER_<OPTION>). A bad value fails
// at start with the option named.

const float = (fallback: number) => z.string().trim().regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, "expected a number").transform(Number).default(fallback);
const int = (fallback: number) => z.string().trim().regex(/^[-+]?\d+$/, "expected a whole number").transform(Number).default(fallback);
const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === "true" || v === "false", "expected true or false")
    .transform((v) => v === "true")
    .default(fallback);

const schedulerSchema = z.object({
  retry_delay: float(900),
  remove_delay: float(600),
  worker_disconnect_delay: float(60),
  state_path: z.string().default("/var/lib/luigi-server/state.pickle"),
  disable_window: int(3600),
  retry_count: int(999999999),
  disable_hard_timeout: int(999999999),
  disable_persist: int(86400),
  max_shown_tasks: int(100000),
  max_graph_nodes: int(100000),
  record_task_history: bool(false),
  prune_on_get_work: bool(false),
  pause_enabled: bool(true),
  send_messages: bool(true),
  batch_emails: bool(false),
  metrics_collector: z.enum(["default", "none", "datadog", "prometheus", "custom"], "expected one of default, none, datadog, prometheus, custom").default("default"),
  metrics_custom_import: z.string().default(""),
  stable_done_cooldown_secs: int(10),
  /** Switchyard: `user:secret, …`; when set, every RPC, /metrics and the visualiser need HTTP Basic auth. */
  auth_users: z.string().default(""),
  /** Switchyard: extra names the Host header may carry (`sched.example.com, *.internal`, or `*` for any). */
  allowed_hosts: z.string().default(""),
});

const corsSchema = z.object({
  enabled: bool(false),
  allowed_origins: z
    .string()
    .transform((v, ctx) => {
      try {
        const list = JSON.parse(v);
        if (Array.isArray(list) && list.every((x) => typeof x === "string")) return list as string[];
      } catch {}
      ctx.addIssue({ code: "custom", message: 'expected a JSON list of origins, e.g. ["https://a.example"]' });
      return z.NEVER;
    })
    .default([]),
  allow_any_origin: bool(false),
  allow_null_origin: bool(false),
  max_age: int(86400),
  allowed_methods: z.string().default("GET, OPTIONS"),
  allowed_headers: z.string().default("Accept, Content-Type, Origin"),
  exposed_headers: z.string().default(""),
  allow_credentials: bool(false),
});

const serverSchema = z.object({
  /** Request bodies larger than this are refused with 413 (luigid/Tornado allows 100 MB). */
  max_body_bytes: int(32 * 1024 * 1024).refine((n) => n > 0, "expected a positive number"),
  /** Seconds between prune passes (luigid: 60). 0 disables the timer. */
  prune_interval: float(60).refine((n) => n >= 0, "expected 0 or more"),
  /** A folder holding Luigi's static files (luigi/static), served at /static/. */
  static_dir: z.string().default(""),
  /** Without static_dir: the Python whose installed Luigi's visualiser is served (a virtualenv's, say). */
  python: z.string().min(1, "expected a Python executable").default("python3"),
  /**
   * PostgreSQL synchronous_commit for the scheduler's writes. "on" (default): an acknowledged
   * change survives a crash of the scheduler, of PostgreSQL and of the machine. "off": it survives
   * a scheduler crash (it is committed in PostgreSQL before the reply), but a PostgreSQL or OS
   * crash can lose the last fraction of a second — in exchange for not waiting on the disk flush.
   */
  synchronous_commit: z.enum(["on", "off"], "expected on or off").default("on"),
  /**
   * Seconds between checkpoints (lib/scheduler/store/journal.ts): an RPC is acknowledged once its
   * journal row is committed; the checkpoint writes the journaled changes into the state tables and
   * Luigi's history, so history readers see a change at most about this much later. Longer: fewer,
   * larger checkpoints (less CPU per change) and more journal to replay after a crash.
   */
  checkpoint_interval: float(0.2).refine((n) => n >= 0 && n <= 3600, "expected 0 to 3600 seconds"),
  /** Request line plus headers larger than this are refused with 431 (Node's default is 16 KiB; this was 1 MiB). */
  max_header_bytes: int(16 * 1024).refine((n) => n >= 1024, "expected at least 1024"),
  /** Seconds a client may take to send its headers: a slow-header (Slowloris) client is cut off. */
  headers_timeout: float(20).refine((n) => n > 0, "expected a positive number"),
  /** Seconds a client may take to send a whole request (a 32 MiB body on a slow link fits). */
  request_timeout: float(120).refine((n) => n > 0, "expected a positive number"),
  /** Seconds an idle keep-alive connection stays open: longer than common load balancers' 60 s, so they close first. */
  keep_alive_timeout: float(65).refine((n) => n >= 0, "expected 0 or more"),
  /** Open connections at most; more are dropped. A Luigi worker holds one or two. */
  max_connections: int(2000).refine((n) => n > 0, "expected a positive number"),
  /**
   * The URL other scheduler processes on the same database reach this one at (http://10.1.2.3:8082;
   * in Kubernetes the pod's IP). While this process is active, a standby that receives a request
   * forwards it here, so a Service may send calls to every process (lib/scheduler/README.md §
   * Active and standby). Empty: a standby answers 503 instead.
   */
  advertise_url: z
    .string()
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^/?#\s]+\/?$/.test(v), "expected an http:// or https:// URL with no path, like http://10.1.2.3:8082"),
});

export type SchedulerOptions = z.output<typeof schedulerSchema>;
export type CorsConfig = z.output<typeof corsSchema>;
export type ServerOptions = z.output<typeof serverSchema>;
export type AccessConfig = {
  /** user → secret; empty: no authentication (luigid's behaviour). */
  users: Map<string, string>;
  /** Host names allowed besides loopback names, IP literals and this machine's name; "*" allows any. */
  allowedHosts: string[];
};
/**
 * [task_history]: Luigi's db_connection is accepted and ignored (history goes to Switchyard's own
 * database); retention_days > 0 drops the months of history older than that, once an hour (history-retention.ts).
 */
const taskHistorySchema = z.object({
  db_connection: z.string().default(""),
  retention_days: int(0).refine((n) => n >= 0, "expected 0 (keep everything) or a number of days"),
  retention_interval: float(3600).refine((n) => n >= 60, "expected at least 60 seconds"),
});
export type TaskHistoryOptions = z.output<typeof taskHistorySchema>;

export type SchedulerConfig = { scheduler: SchedulerOptions; resources: Record<string, number>; cors: CorsConfig; server: ServerOptions; access: AccessConfig; taskHistory: TaskHistoryOptions; warnings: string[] };

export class SchedulerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid scheduler configuration: ${problems.join("; ")}`);
    this.name = "SchedulerConfigError";
  }
}

/** Reads the file (if any), applies environment overrides and validates everything. */
export function loadSchedulerConfig(opts: { file?: string; env?: Record<string, string | undefined> } = {}): SchedulerConfig {
  let sections: IniSections = {};
  if (opts.file) {
    let text: string;
    try {
      text = fs.readFileSync(opts.file, "utf8");
    } catch (error) {
      throw new SchedulerConfigError([`cannot read --config ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
    }
    try {
      sections = parseIni(text, opts.file);
    } catch (error) {
      if (error instanceof IniSyntaxError) throw new SchedulerConfigError([error.message]);
      throw error;
    }
  }
  return buildSchedulerConfig(sections, opts.env ?? process.env);
}

export function buildSchedulerConfig(sections: IniSections, env: Record<string, string | undefined> = {}): SchedulerConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const pick = <S extends z.ZodObject>(schema: S, section: string, envPrefix: string): z.output<S> => {
    const input: Record<string, string> = {};
    for (const [k, v] of Object.entries(sections[section] ?? {})) {
      if (k in schema.shape) input[k] = v;
      else warnings.push(`[${section}] ${k} is not an option this scheduler knows; ignored`);
    }
    for (const name of Object.keys(schema.shape)) {
      const value = env[`${envPrefix}${name.toUpperCase()}`];
      if (value !== undefined && value.trim() !== "") input[name] = value;
    }
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) problems.push(`[${section}] ${String(issue.path[0])}: ${issue.message} (got ${JSON.stringify(input[String(issue.path[0])])})`);
    return {} as z.output<S>;
  };
  const scheduler = pick(schedulerSchema, "scheduler", "LUIGI_SCHEDULER_");
  const cors = pick(corsSchema, "cors", "LUIGI_CORS_");
  const server = pick(serverSchema, "switchyard", "SWITCHYARD_SCHEDULER_");
  const taskHistory = pick(taskHistorySchema, "task_history", "LUIGI_TASK_HISTORY_");
  const resources: Record<string, number> = {};
  for (const [name, value] of Object.entries(sections.resources ?? {})) {
    if (/^[-+]?\d+$/.test(value.trim())) resources[name] = Number(value);
    else problems.push(`[resources] ${name}: expected a whole number (got ${JSON.stringify(value)})`);
  }
  const access = accessOf(env.SCHEDULER_AUTH_USERS?.trim() || scheduler.auth_users || "", env.SCHEDULER_ALLOWED_HOSTS?.trim() || scheduler.allowed_hosts || "", problems);
  if (problems.length > 0) throw new SchedulerConfigError(problems);
  return { scheduler, resources, cors, server, access, taskHistory, warnings };
}

/** `alice:s3cret, bob:other` (env SCHEDULER_AUTH_USERS or [scheduler] auth_users) and a list of host names. */
function accessOf(usersText: string, hostsText: string, problems: string[]): AccessConfig {
  const users = new Map<string, string>();
  for (const entry of usersText.split(",").map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(":");
    const user = entry.slice(0, Math.max(at, 0));
    if (at <= 0 || at === entry.length - 1) problems.push(`[scheduler] auth_users: expected user:secret pairs separated by commas (got an entry for ${JSON.stringify(user || entry.replace(/:.*/, ""))} without a user or a secret)`);
    else users.set(user, entry.slice(at + 1));
  }
  const allowedHosts = hostsText.split(/[\s,]+/).map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const h of allowedHosts) if (!/^(\*|(\*\.)?[a-z0-9.\-_]+|\[[0-9a-f:.]+\])$/.test(h)) problems.push(`[scheduler] allowed_hosts: ${JSON.stringify(h)} is not a host name (expected e.g. sched.example.com or *.internal)`);
  return { users, allowedHosts };
}

export function defaultSchedulerConfig(): SchedulerConfig {
  return buildSchedulerConfig({});
}

/** The options the scheduling logic uses, in the core's shape. */
export function coreConfigOf(config: SchedulerConfig): CoreConfig {
  const s = config.scheduler;
  return {
    retryDelay: s.retry_delay,
    removeDelay: s.remove_delay,
    workerDisconnectDelay: s.worker_disconnect_delay,
    disableWindow: s.disable_window,
    retryCount: s.retry_count,
    disableHardTimeout: s.disable_hard_timeout,
    disablePersist: s.disable_persist,
    maxShownTasks: s.max_shown_tasks,
    maxGraphNodes: s.max_graph_nodes,
    recordTaskHistory: s.record_task_history,
    pruneOnGetWork: s.prune_on_get_work,
    pauseEnabled: s.pause_enabled,
    sendMessages: s.send_messages,
    stableDoneCooldownSecs: s.stable_done_cooldown_secs,
    resources: { ...config.resources },
  };
}

export { normalizeOption };
