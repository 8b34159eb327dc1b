import { ParameterValueError, type AnyParam } from "./parameters";
import { familyOf, type TaskClass } from "./task";

// `switchyard run` command line, Luigi style:
//   --module pipelines/demo/daily.ts AllDailyTask --service-id 7 --day 2026-11-22 [--workers 2]
// Task parameters use dashes for underscores (--service-id → service_id), may be qualified with
// the family (--AllDailyTask-day), and take `--name value` or `--name=value`; a bool parameter
// may stand alone (--dedupe) or take true/false. Every mistake is one line naming the parameter.

export class UsageError extends Error {}

export type RunArgs = {
  module: string | null;
  family: string | null;
  help: boolean;
  workers: number;
  schedulerUrl: string | null;
  localScheduler: boolean;
  force: boolean;
  forceTasks: string[];
  /** task parameter flags, still unparsed: flag name (without --) → text (or true for a bare flag) */
  taskFlags: Array<{ flag: string; value: string | true }>;
};

const ownFlags = new Set(["module", "workers", "scheduler-url", "local-scheduler", "force", "force-task", "help"]);

export function parseRunArgs(argv: string[]): RunArgs {
  const out: RunArgs = { module: null, family: null, help: false, workers: 1, schedulerUrl: null, localScheduler: false, force: false, forceTasks: [], taskFlags: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      out.help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      if (out.family) throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (the task family is already ${out.family})`);
      out.family = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const next = () => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`--${flag} needs a value`);
      i++;
      return v;
    };
    if (!ownFlags.has(flag)) {
      // a task parameter: take the next token as its value unless it is another flag
      const v = inline ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : undefined);
      out.taskFlags.push({ flag, value: v ?? true });
      continue;
    }
    switch (flag) {
      case "module":
        out.module = next();
        break;
      case "workers": {
        const v = next();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) throw new UsageError(`--workers must be a whole number from 1 to 64 (got ${JSON.stringify(v)})`);
        out.workers = Number(v);
        break;
      }
      case "scheduler-url":
        out.schedulerUrl = next();
        break;
      case "force-task":
        out.forceTasks.push(...next().split(",").map((s) => s.trim()).filter(Boolean));
        break;
      default:
        if (inline !== undefined) throw new UsageError(`--${flag} takes no value`);
        if (flag === "local-scheduler") out.localScheduler = true;
        if (flag === "force") out.force = true;
    }
  }
  if (out.localScheduler && out.schedulerUrl) throw new UsageError("use --scheduler-url or --local-scheduler, not both");
  if (out.force && out.forceTasks.length > 0) throw new UsageError("use --force (everything) or --force-task (a selection), not both");
  return out;
}

export const flagName = (param: string) => param.replace(/_/g, "-");

/** The root task's parameters from its flags, as Luigi strings, validated against the class. */
export function taskParamsFromFlags(cls: TaskClass, flags: RunArgs["taskFlags"]): Record<string, string> {
  const family = familyOf(cls);
  const spec = cls.paramSpec;
  const byFlag = new Map(Object.keys(spec).map((name) => [flagName(name), name]));
  const out: Record<string, string> = {};
  for (const { flag, value } of flags) {
    const bare = flag.startsWith(`${family}-`) ? flag.slice(family.length + 1) : flag;
    const name = byFlag.get(bare) ?? byFlag.get(flagName(bare));
    if (!name) {
      const known = [...byFlag.keys()].map((f) => `--${f}`).join(", ") || "none";
      throw new UsageError(`unknown parameter --${flag} for ${family} (its parameters: ${known})`);
    }
    const p: AnyParam = spec[name];
    let text: string;
    if (value === true) {
      if (p.type !== "bool") throw new UsageError(`--${flagName(name)} needs a value (${p.format})`);
      text = "true";
    } else text = value;
    try {
      out[name] = p.serialize(p.parse(text));
    } catch (error) {
      if (error instanceof ParameterValueError) throw new UsageError(`--${flagName(name)}: ${error.message}`);
      throw error;
    }
  }
  for (const [name, p] of Object.entries(spec)) {
    if (out[name] === undefined && !p.hasDefault) throw new UsageError(`missing required parameter --${flagName(name)} for ${family} (${p.format})`);
  }
  return out;
}

/** --help with a module: its tasks and their parameters. */
export function describeTasks(moduleName: string, classes: TaskClass[], only: string | null): string {
  const shown = only ? classes.filter((c) => familyOf(c) === only) : classes;
  const lines = [`Usage: switchyard run --module ${moduleName} <Family> [--param value ...] [--workers N] [--scheduler-url URL | --local-scheduler] [--force | --force-task X]`, ""];
  lines.push(only ? `Task ${only}:` : `Tasks in ${moduleName}:`);
  for (const cls of shown) {
    const external = typeof cls.prototype.run !== "function" ? " (external)" : "";
    lines.push(`  ${familyOf(cls)}${external}`);
    for (const [name, p] of Object.entries(cls.paramSpec)) {
      let dflt = "required";
      if (p.hasDefault) {
        try {
          dflt = `default ${p.serialize(p.defaultValue())}`;
        } catch {
          dflt = "has a default";
        }
      }
      const notes = [p.format, dflt, p.significant ? null : "insignificant", p.visibility !== "public" ? p.visibility : null].filter(Boolean).join("; ");
      lines.push(`    --${flagName(name).padEnd(22)} ${p.description ? p.description + " " : ""}(${notes})`);
    }
  }
  lines.push("", "Options:");
  lines.push("  --workers N              task processes running in parallel (default 1)");
  lines.push("  --scheduler-url URL      the central scheduler (default http://127.0.0.1:$SCHEDULER_PORT, 8082)");
  lines.push("  --local-scheduler        schedule in this process instead of a central scheduler");
  lines.push("  --force                  re-run the task and everything under it, even if complete");
  lines.push("  --force-task X[,Y]       re-run the tasks of family or id X and every task that depends on them");
  lines.push("", "Exit codes: 0 done, 2 bad usage, 10 run by another worker, 20 missing external data, 25 not run, 30 a task failed, 35 scheduling error, 40 unexpected error.");
  lines.push("Environment: SWITCHYARD_RUN_LOG (append the run's log to this file), DATABASE_URL, SWITCHYARD_HOME.");
  return lines.join("\n");
}
