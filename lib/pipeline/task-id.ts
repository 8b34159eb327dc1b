import { createHash } from "node:crypto";
import { comparePyStrings, pyJsonDumps } from "./python-format";

// luigi.task.task_id_str (SPEC §3.4): "<Family>_<summary>_<hash10>". The hash is MD5 over
// json.dumps(params, sort_keys=True, separators=(",", ":")) of the significant public parameters'
// string forms; the summary is the first three of those values by sorted name, each cut to 16
// characters, with everything outside [A-Za-z0-9_] replaced by "_". The family is not hashed.

const INCLUDE_PARAMS = 3;
const TRUNCATE_PARAMS = 16;
const TRUNCATE_HASH = 10;

export function taskIdStr(family: string, significantParams: Record<string, string>): string {
  const json = pyJsonDumps(significantParams, { compact: true, sortKeys: true });
  const hash = createHash("md5").update(json, "utf8").digest("hex");
  const names = Object.keys(significantParams).sort(comparePyStrings).slice(0, INCLUDE_PARAMS);
  // Python slices strings by code point, not UTF-16 unit.
  const summary = names
    .map((n) => Array.from(significantParams[n]).slice(0, TRUNCATE_PARAMS).join(""))
    .join("_")
    .replace(/[^A-Za-z0-9_]/gu, "_");
  return `${family}_${summary}_${hash.slice(0, TRUNCATE_HASH)}`;
}
