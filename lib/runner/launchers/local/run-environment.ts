// What a launched run sees of the environment: an allowlist, never the runner's whole
// environment. The runner holds DATABASE_URL (the app role), BETTER_AUTH_SECRET and whatever
// its operator exported; a pipeline gets none of it unless its service names it in
// `environment` (issue 10: least privilege for pipelines).

/** Variables a process needs to behave normally (locale, time zone, where programs are). */
const SYSTEM = ["PATH", "HOME", "LANG", "TZ", "TMPDIR", "USER", "LOGNAME"];

/**
 * Switchyard's documented run variables that come from the runner's own configuration: the data
 * folder (demo outputs) and the demo fleet's failure knobs. The per-run SWITCHYARD_RUN_ID,
 * SWITCHYARD_SERVICE, SWITCHYARD_PERIOD and SWITCHYARD_SCHEDULER_URL arrive in the launch spec.
 */
const RUN_VARIABLES = ["SWITCHYARD_HOME", "SWITCHYARD_SHUTDOWN_GRACE", "LOG_LEVEL"];
// SWITCHYARD_RUN_DATABASE_URL is not passed under its name: runs get it as DATABASE_URL (below).
const RUN_PREFIXES = ["LC_", "SWITCHYARD_DEMO_"];

export function isPassedToRuns(name: string, extra: readonly string[] = []): boolean {
  if (SYSTEM.includes(name) || RUN_VARIABLES.includes(name)) return true;
  if (RUN_PREFIXES.some((p) => name.startsWith(p))) return true;
  return extra.some((e) => (e.endsWith("*") ? name.startsWith(e.slice(0, -1)) : e === name));
}

/**
 * The environment of one run: the allowlisted part of `base`, then the spec's own variables (the
 * service's `environment` and the SWITCHYARD_* run variables), which win over the base.
 * `extra` names more variables to pass through (a trailing * matches a prefix) — for tests.
 */
export function runEnvironment(
  base: Record<string, string | undefined>,
  own: Record<string, string>,
  extra: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  // the operator's own additions: SWITCHYARD_RUN_ENV_ALLOW="AWS_PROFILE,PYTHON*"
  const allowed = [...extra, ...(base.SWITCHYARD_RUN_ENV_ALLOW ?? "").split(",").map((n) => n.trim()).filter(Boolean)];
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && isPassedToRuns(name, allowed)) env[name] = value;
  }
  // The operator's explicit choice of a database for runs (e.g. the demo fleet's warehouse):
  // given as DATABASE_URL, unless the service names its own.
  const runDatabase = base.SWITCHYARD_RUN_DATABASE_URL;
  if (runDatabase) env.DATABASE_URL = runDatabase;
  return { ...env, ...own };
}
