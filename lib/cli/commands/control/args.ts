import { UsageError } from "@/lib/cli/args";

// What every control-API command (runs, services, backfill, incidents) checks in its arguments and
// how it prints: one place, so a wrong count or id is the same usage error (exit 2) everywhere.

/** Exactly `count` positional arguments, else a usage error naming the expected form. */
export function expectArgs(args: string[], count: number, usage: string): string[] {
  if (args.length !== count) throw new UsageError(`expected: switchyard ${usage}`);
  return args;
}

/** A numeric id ("run", "incident"), else a usage error saying where ids are listed. */
export function idArg(text: string, what: string, listCommand: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not ${what} id (a number, see switchyard ${listCommand})`);
  return Number(text);
}

/** --limit N: a positive whole number, or undefined when not given. */
export function limitFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[1-9]\d*$/.test(value)) throw new UsageError(`--limit: expected a positive whole number, got "${String(value)}"`);
  return Number(value);
}

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

/** "90m", "4h", "2d" as minutes (with `bareMinutes`, "90" too); null when the text is not one. */
export function durationMinutesOf(text: string, bareMinutes = false): number | null {
  const m = (bareMinutes ? /^(\d{1,5})([mhd]?)$/ : /^(\d{1,5})([mhd])$/).exec(text.trim());
  return m ? Number(m[1]) * UNIT_MINUTES[(m[2] || "m") as keyof typeof UNIT_MINUTES] : null;
}

export function print(value: unknown) {
  console.log(typeof value === "string" ? value : JSON.stringify(value, null, 2));
}
