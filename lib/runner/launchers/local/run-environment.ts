// What a launched run sees of the runner's environment: an allowlist, not everything. The runner
// holds secrets a pipeline has no business with (DATABASE_URL with the app's role,
// BETTER_AUTH_SECRET, cloud credentials); a run gets the basics a process needs, its service's own
// `environment` (added on top by the launch plan), the documented SWITCHYARD_* run variables, and
// whatever the operator lists in SWITCHYARD_RUN_ENV_ALLOW (names, comma-separated; a trailing *
// matches a prefix, e.g. "AWS_PROFILE,PYTHON*").

/** What `switchyard start` lets the demo fleet see: its results go to the Switchyard database and its files under the home. */
export const DEMO_RUN_ENV_ALLOW = "DATABASE_URL,SWITCHYARD_HOME,SWITCHYARD_DEMO_*,LOG_LEVEL";

const BASICS = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM"];
const BASIC_PREFIXES = ["LC_"];

export function allowedNames(extra: string | undefined): { names: Set<string>; prefixes: string[] } {
  const names = new Set(BASICS);
  const prefixes = [...BASIC_PREFIXES];
  for (const raw of (extra ?? "").split(",")) {
    const name = raw.trim();
    if (!name) continue;
    if (name.endsWith("*")) prefixes.push(name.slice(0, -1));
    else names.add(name);
  }
  return { names, prefixes };
}

/** The base environment of every run, from the runner's own (`SWITCHYARD_RUN_ENV_ALLOW` read from it too). */
export function runEnvironment(runner: Record<string, string | undefined>, extra: string[] = []): Record<string, string> {
  const { names, prefixes } = allowedNames([runner.SWITCHYARD_RUN_ENV_ALLOW, ...extra].filter(Boolean).join(","));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(runner)) {
    if (value === undefined) continue;
    if (names.has(key) || prefixes.some((p) => key.startsWith(p))) out[key] = value;
  }
  return out;
}
