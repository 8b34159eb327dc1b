// The root task of a run, read off its command line when the service does not name it: Luigi's
// CLI (and `switchyard run`) take `--module <module> <Family> --param-name value …`, and a
// parameter `--service-id 7` is the task parameter `service_id`. The pipeline CLI prints no task
// id, so the runner asks the scheduler for a task of this family with these parameters.

export type RootTaskSpec = { family: string; params: Record<string, string> };

/** Flags of the Luigi and switchyard CLIs that take no value. */
const booleanFlags = new Set(["local-scheduler", "no-lock", "take-lock", "assistant", "help", "help-all", "parallel-scheduling", "detailed-summary", "force"]);
/** Flags (and flag prefixes) that configure the worker rather than name a task parameter. */
const globalFlags = new Set(["module", "workers", "force-task", "from-task", "scheduler-url", "scheduler-host", "scheduler-port", "log-level", "logging-conf-file", "lock-pid-dir", "lock-size"]);
const globalPrefixes = ["core-", "worker-", "scheduler-", "retcode-", "logging-", "execution-summary-"];

const isGlobal = (name: string) => globalFlags.has(name) || globalPrefixes.some((p) => name.startsWith(p));

export function rootTaskFromArgv(argv: readonly string[]): RootTaskSpec | null {
  const moduleAt = argv.findIndex((a) => a === "--module" || a.startsWith("--module="));
  if (moduleAt === -1) return null;
  let family: string | null = null;
  const params: Record<string, string> = {};
  let i = argv[moduleAt] === "--module" ? moduleAt + 2 : moduleAt + 1;
  while (i < argv.length) {
    const word = argv[i];
    if (!word.startsWith("--")) {
      if (family !== null) return null; // a second positional: not a command line we understand
      family = word;
      i++;
      continue;
    }
    const eq = word.indexOf("=");
    const name = word.slice(2, eq === -1 ? undefined : eq);
    let value: string | null = null;
    if (eq !== -1) value = word.slice(eq + 1);
    else if (!booleanFlags.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith("--")) value = argv[++i];
    i++;
    // Boolean task parameters are left out: their serialised form ("True") differs between workers.
    if (family !== null && value !== null && !isGlobal(name)) params[name.replace(/-/g, "_")] = value;
  }
  if (!family || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(family)) return null;
  return { family, params };
}

/** A root task named in the service config, its parameter values rendered like command words. */
export function renderRootTask(spec: RootTaskSpec, render: (text: string) => string): RootTaskSpec {
  return { family: spec.family, params: Object.fromEntries(Object.entries(spec.params).map(([k, v]) => [k, render(v)])) };
}
