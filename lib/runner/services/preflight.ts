import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { renderCommand } from "@/lib/runner/command/render-command";
import { runEnvironment } from "@/lib/runner/launchers/local/run-environment";
import { repoRoot } from "@/lib/paths";
import type { ServiceConfig } from "@/lib/schemas/services";

// `switchyard services validate FILE --try`: what would stop each service's first run, found before
// it — without running a task. Each command is rendered as the runner renders it (placeholders,
// {env:NAME} from this shell, the allowlisted run environment plus the service's `environment`), in
// its working directory, and then:
// - its program must be found on the run's PATH (or at its path);
// - for a Python Luigi command (`python… -m luigi …`), that Python must import luigi and find the
//   --module — with the run's environment, which is not this shell's: the classic first failure
//   is a Luigi reachable only through PYTHONPATH, or a Python (pyenv, a virtualenv) that lacks it.
// The module is located (find_spec), not imported: nothing of the pipeline's own code runs.

type Env = Record<string, string | undefined>;

export type PreflightCheck = { service: string; kind: "daily" | "hourly"; ok: boolean; detail: string };

const LUIGI_CHECK_PY = `
import importlib.util, sys
try:
    import luigi
except Exception as e:
    print("luigi: %s: %s" % (type(e).__name__, e)); sys.exit(3)
where = "luigi %s from %s" % (getattr(luigi, "__version__", "?"), luigi.__path__[0])
for m in sys.argv[1:]:
    try:
        found = importlib.util.find_spec(m) is not None
    except Exception as e:
        print("module %s: %s: %s" % (m, type(e).__name__, e)); sys.exit(4)
    if not found:
        print("module %s: not found" % m); sys.exit(4)
print(where)
`;

const YESTERDAY = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** Checks each command of each service (daily, and hourly when it has one). */
export async function preflightServices(services: ServiceConfig[], shellEnv: Env = process.env): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  for (const s of services) {
    checks.push(await preflightCommand(s, "daily", shellEnv));
    if (s.hourlyCommand) checks.push(await preflightCommand(s, "hourly", shellEnv));
  }
  return checks;
}

export async function preflightCommand(s: ServiceConfig, kind: "daily" | "hourly", shellEnv: Env = process.env): Promise<PreflightCheck> {
  const say = (ok: boolean, detail: string): PreflightCheck => ({ service: s.name, kind, ok, detail });
  const day = YESTERDAY();
  const period = kind === "daily" ? day : `${day}T00`;
  let argv: string[];
  let env: Record<string, string>;
  try {
    const rendered = renderCommand({
      template: kind === "daily" ? s.dailyCommand : s.hourlyCommand!,
      forceArgument: s.forceArgument,
      fromTaskArgument: s.fromTaskArgument,
      environment: s.environment,
      values: { service: s.name, day, hour: kind === "hourly" ? period : null, period, scheduler_url: "http://127.0.0.1:8082", run_id: "0", attempt: "1" },
      force: false,
      fromTask: null,
      env: (name) => shellEnv[name],
    });
    argv = rendered.argv;
    env = runEnvironment(shellEnv, { ...rendered.env, SWITCHYARD_SERVICE: s.name, SWITCHYARD_PERIOD: period });
  } catch (error) {
    return say(false, (error as Error).message);
  }
  const cwd = s.workingDirectory ?? repoRoot;
  if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) return say(false, `the working directory ${cwd} is not a folder`);
  const program = findProgram(argv[0], cwd, env.PATH ?? "");
  if (!program) {
    return say(false, argv[0].includes("/") ? `${argv[0]} is not an executable file (from ${cwd})` : `${argv[0]} is not on the run's PATH (${env.PATH ?? "unset"})`);
  }
  const luigi = luigiModuleOf(argv);
  if (luigi === null) return say(true, `${argv[0]} is ${program}; not a Python Luigi command, so not started`);
  const run = await promisify(execFile)(program, ["-c", LUIGI_CHECK_PY, ...luigi.modules], { cwd, env: env as NodeJS.ProcessEnv, timeout: 30_000 }).then(
    (out) => ({ code: 0, text: out.stdout.trim() }),
    (error: Error & { code?: number | string; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, text: (error.stdout || error.stderr || error.message).trim().split("\n").at(-1) ?? "" }),
  );
  if (run.code === 0) return say(true, `${argv[0]} (${program}) imports ${run.text}${luigi.modules.length ? ` and finds ${luigi.modules.join(", ")}` : ""}, in ${cwd}`);
  const hint = run.code === 3 ? luigiHint(run.text, shellEnv, s) : run.code === 4 ? ` (looked for from ${cwd} and the run's PYTHONPATH; is workingDirectory the module's folder?)` : "";
  return say(false, `${argv[0]} (${program}), with the run's environment: ${run.text}${hint}`);
}

/** The Luigi modules a `python -m luigi --module X …` command loads, or null when it is not one. */
export function luigiModuleOf(argv: string[]): { modules: string[] } | null {
  if (!/^python[0-9.]*$/.test(path.basename(argv[0]))) return null;
  const m = argv.indexOf("-m");
  if (m < 0 || argv[m + 1] !== "luigi") return null;
  const modules: string[] = [];
  argv.forEach((word, i) => {
    if (word === "--module" && argv[i + 1]) modules.push(argv[i + 1]);
    else if (word.startsWith("--module=")) modules.push(word.slice("--module=".length));
  });
  return { modules };
}

function luigiHint(error: string, shellEnv: Env, s: ServiceConfig): string {
  const dependency = /No module named '([^'.]+)/.exec(error)?.[1];
  if (dependency && dependency !== "luigi") return ` — Luigi is there, but not ${dependency}, which it needs: install ${dependency} for that Python, or name a Python that has it`;
  if (shellEnv.PYTHONPATH && !("PYTHONPATH" in s.environment))
    return ` — this shell has PYTHONPATH=${shellEnv.PYTHONPATH}, which runs do not get: add "PYTHONPATH": "{env:PYTHONPATH}" to the service's environment (or SWITCHYARD_RUN_ENV_ALLOW=PYTHONPATH), or name a Python that has Luigi installed`;
  return " — install Luigi for that Python, or name one that has it (a virtualenv's bin/python)";
}

function findProgram(name: string, cwd: string, searchPath: string): string | null {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) {
    const file = path.resolve(cwd, name);
    return executable(file) ? file : null;
  }
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const file = path.resolve(cwd, dir, name);
    if (executable(file)) return file;
  }
  return null;
}
