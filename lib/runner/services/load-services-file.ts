import fs from "node:fs";
import path from "node:path";
import { unstorableText } from "@/lib/db/storable-text";
import { servicesFileSchema, type ServicesFile } from "@/lib/schemas/services";

// The services config file (switchyard.services.json in the user's repository), read and
// validated once at start. A bad file stops the runner with one line per problem, each naming
// the field, e.g. `services[3].timeZone: expected an IANA time zone …`.

export class ServicesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid services file:\n  ${problems.join("\n  ")}`);
    this.name = "ServicesFileError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

export function parseServicesFile(text: string, file = "services file"): ServicesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServicesFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const unstorable = unstorableText(text, json);
  if (unstorable) throw new ServicesFileError(file, [`contains ${unstorable}`]);
  const parsed = servicesFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServicesFileError(
      file,
      parsed.error.issues.map((i) => `${formatPath(i.path) || "(file)"}: ${i.message}`),
    );
  }
  return parsed.data;
}

/**
 * Reads and validates a services file. A relative workingDirectory is made absolute against the
 * file's own folder, so the same file works whatever folder `switchyard` is started from.
 */
export function loadServicesFile(file: string): ServicesFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ServicesFileError(file, [`cannot read it: ${(error as Error).message}`]);
  }
  const parsed = parseServicesFile(text, file);
  const base = path.dirname(path.resolve(file));
  const problems: string[] = [];
  parsed.services.forEach((s, i) => {
    if (s.workingDirectory === null) return;
    s.workingDirectory = path.resolve(base, s.workingDirectory);
    if (!fs.statSync(s.workingDirectory, { throwIfNoEntry: false })?.isDirectory()) {
      problems.push(`services[${i}].workingDirectory: ${s.workingDirectory} is not a folder`);
    }
  });
  if (problems.length) throw new ServicesFileError(file, problems);
  return parsed;
}
