import { parsePythonJson as parse } from "@/lib/luigi-rpc/python-json";

// Python's text formats for the worker SDK come from the one codec in lib/luigi-rpc.
export { comparePyStrings, pyFloatRepr, pyJsonDumps, pyJsonString } from "@/lib/luigi-rpc/python-json";

/** JSON.parse that also accepts Python's bare NaN / Infinity / -Infinity (as null: they go on as JSON). */
export function parsePythonJson(text: string): unknown {
  return parse(text, { nonFinite: "null" });
}
