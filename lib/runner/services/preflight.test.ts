import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasPython } from "@/lib/testing/has-python";
import { afterAll, describe, expect, it } from "vitest";
import { luigiModuleOf, preflightCommand } from "@/lib/runner/services/preflight";
import { serviceConfigSchema } from "@/lib/schemas/services";

// `services validate --try` with a real python3 and "Luigi" packages of our own on PYTHONPATH
// (the project's tests never depend on Luigi itself): what it finds is what the first run would
// have failed on, said with what to do.


const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A folder with a luigi package (its __init__ as given) and a pipeline module shopmod.py. */
function fakeLuigi(init = "__version__ = '9.9.9'\n"): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "luigi"));
  fs.writeFileSync(path.join(root, "luigi", "__init__.py"), init);
  fs.mkdirSync(path.join(root, "pipelines"));
  fs.writeFileSync(path.join(root, "pipelines", "shopmod.py"), "raise SystemExit('the pipeline must not be run by a check')\n");
  return root;
}

const service = (fields: Record<string, unknown>) => serviceConfigSchema.parse({ name: "shop", ...fields });
const shell = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...extra });

describe("luigiModuleOf", () => {
  it("knows a python -m luigi command and its modules, and nothing else", () => {
    expect(luigiModuleOf(["python3", "-m", "luigi", "--module", "shop", "AllDaily"])).toEqual({ modules: ["shop"] });
    expect(luigiModuleOf(["/venv/bin/python3.11", "-m", "luigi", "--module=a.b", "T"])).toEqual({ modules: ["a.b"] });
    expect(luigiModuleOf(["python", "-m", "luigi", "T"])).toEqual({ modules: [] });
    expect(luigiModuleOf(["python3", "run.py", "--module", "shop"])).toBeNull();
    expect(luigiModuleOf(["node", "bin/switchyard.mjs", "run", "--module", "daily.ts"])).toBeNull();
  });
});

describe.skipIf(!hasPython)("a Python Luigi command, checked with the run's environment", () => {
  it("passes when that Python imports luigi and finds the module, without running the module", async () => {
    const root = fakeLuigi();
    const s = service({ dailyCommand: "python3 -m luigi --module shopmod AllDaily --day {day}", workingDirectory: path.join(root, "pipelines"), environment: { PYTHONPATH: "{env:LUIGI_HOME}" } });
    const check = await preflightCommand(s, "daily", shell({ LUIGI_HOME: root }));
    expect(check).toMatchObject({ service: "shop", kind: "daily", ok: true });
    expect(check.detail).toMatch(new RegExp(`imports luigi 9\\.9\\.9 from ${root}/luigi and finds shopmod`));
  });

  it("says when the shell's PYTHONPATH is what made Luigi importable, and how to pass it on", async () => {
    const root = fakeLuigi();
    const s = service({ dailyCommand: "python3 -m luigi --module shopmod AllDaily", workingDirectory: path.join(root, "pipelines") });
    const check = await preflightCommand(s, "daily", shell({ PYTHONPATH: root }));
    expect(check.ok).toBe(false);
    expect(check.detail).toContain("luigi: ModuleNotFoundError: No module named 'luigi'");
    expect(check.detail).toContain(`this shell has PYTHONPATH=${root}, which runs do not get: add "PYTHONPATH": "{env:PYTHONPATH}"`);
  });

  it("names a dependency of Luigi's that this Python lacks, and a module it cannot find", async () => {
    const broken = fakeLuigi("raise ModuleNotFoundError(\"No module named 'tenacity'\", name='tenacity')\n");
    const s = service({ dailyCommand: "python3 -m luigi --module shopmod AllDaily", workingDirectory: path.join(broken, "pipelines"), environment: { PYTHONPATH: broken } });
    const dependency = await preflightCommand(s, "daily", shell());
    expect([dependency.ok, dependency.detail]).toEqual([false, expect.stringContaining("Luigi is there, but not tenacity, which it needs")]);

    const root = fakeLuigi();
    const lost = service({ dailyCommand: "python3 -m luigi --module=nosuchmod AllDaily", workingDirectory: path.join(root, "pipelines"), environment: { PYTHONPATH: root } });
    const missing = await preflightCommand(lost, "daily", shell());
    expect([missing.ok, missing.detail]).toEqual([false, expect.stringContaining("module nosuchmod: not found (looked for from")]);
  });
});

describe("any command", () => {
  it("needs its program on the run's PATH, its {env:NAME} set, and its working directory; others are not started", async () => {
    const noProgram = await preflightCommand(service({ dailyCommand: "no-such-program-here --day {day}" }), "daily", shell());
    expect([noProgram.ok, noProgram.detail]).toEqual([false, expect.stringMatching(/^no-such-program-here is not on the run's PATH/)]);
    const unset = await preflightCommand(service({ dailyCommand: "node x.js", environment: { TOKEN: "{env:PREFLIGHT_UNSET}" } }), "daily", shell());
    expect([unset.ok, unset.detail]).toEqual([false, expect.stringContaining("PREFLIGHT_UNSET is not set")]);
    const gone = await preflightCommand(service({ dailyCommand: "node x.js", workingDirectory: path.join(os.tmpdir(), "no-such-folder-here") }), "daily", shell());
    expect([gone.ok, gone.detail]).toEqual([false, expect.stringContaining("is not a folder")]);
    const node = await preflightCommand(service({ dailyCommand: "node x.js", hourly: true, hourlyCommand: "node y.js {hour}" }), "hourly", shell());
    expect(node).toMatchObject({ kind: "hourly", ok: true, detail: expect.stringContaining("not a Python Luigi command, so not started") });
  });
});
