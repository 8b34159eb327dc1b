import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ExternalTask, registerTask, Task, WrapperTask, type TaskClass } from "./task";

// Loads a pipeline module (--module pipelines/demo/daily.ts) and registers its exported task
// classes, so that a task can be re-created from the family and string parameters the scheduler
// hands out. Every process (worker and task processes) loads the module itself.

export type LoadedModule = { name: string; file: string; classes: TaskClass[] };

export class ModuleLoadError extends Error {}

export async function loadPipelineModule(modulePath: string, cwd = process.cwd()): Promise<LoadedModule> {
  const file = path.resolve(cwd, modulePath);
  if (!fs.existsSync(file)) throw new ModuleLoadError(`--module: ${modulePath} does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(`--module: cannot load ${modulePath}: ${(error as Error).message.split("\n")[0]}`);
  }
  const relative = path.relative(cwd, file);
  const name = relative.startsWith("..") ? file : relative;
  const classes: TaskClass[] = [];
  for (const value of Object.values(mod)) {
    if (!isConcreteTaskClass(value)) continue;
    if (!Object.hasOwn(value, "module")) Object.defineProperty(value, "module", { value: name, enumerable: true });
    registerTask(value);
    classes.push(value);
  }
  return { name, file, classes };
}

/** Task subclasses a pipeline defines; not the SDK's base classes nor Task.params() intermediates. */
function isConcreteTaskClass(v: unknown): v is TaskClass {
  return typeof v === "function" && v.prototype instanceof Task && v !== WrapperTask && v !== ExternalTask && Boolean(v.name) && v.name !== "WithParams";
}
