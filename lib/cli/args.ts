// A small, strict flag parser: `--name value`, `--name=value` and boolean `--flag`.
// Unknown flags are an error that names the flag, never silently ignored.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type FlagSpec = Record<string, { type: "string" | "boolean" | "port"; help: string }>;

export type Parsed = { flags: Record<string, string | boolean | number>; positionals: string[] };

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const flags: Parsed["flags"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const def = spec[name];
    if (!def) throw new UsageError(`unknown option --${name}`);
    if (def.type === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    if (def.type === "port") {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new UsageError(`--${name} must be a port number from 1 to 65535 (got ${JSON.stringify(value)})`);
      flags[name] = n;
    } else flags[name] = value;
  }
  return { flags, positionals };
}

export function formatFlags(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, d]) => `  --${(name + (d.type === "boolean" ? "" : " <" + (d.type === "port" ? "port" : "value") + ">")).padEnd(26)} ${d.help}`)
    .join("\n");
}
