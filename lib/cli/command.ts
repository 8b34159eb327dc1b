import type { FlagSpec } from "@/lib/cli/args";

export type Command = {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec;
  /** When true for these arguments, --help is passed to run() (e.g. `run --module m.ts --help` lists its tasks). */
  ownsHelp?(argv: string[]): boolean;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
};
