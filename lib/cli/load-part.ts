import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "@/lib/cli/errors";
import { repoRoot } from "@/lib/paths";

/**
 * Loads a part's entry point (scheduler, runner, pipelines) by path, so that the CLI works —
 * and says plainly "not built yet" — while a part is still being written.
 */
export async function loadPart<T>(file: string, exportName: string): Promise<T> {
  const full = path.join(repoRoot, file);
  if (!fs.existsSync(full)) throw new CliError(`not built yet: ${file} does not exist in this checkout`, 2);
  const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
  if (typeof mod[exportName] !== "function") throw new CliError(`${file} does not export ${exportName}()`, 2);
  return mod[exportName] as T;
}
