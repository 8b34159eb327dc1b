import { splitWords, substitute as substituteText, type EnvLookup } from "@/lib/runner/command/template";

// Turns a service's command template into the argv and environment of one run.

export type CommandValues = {
  service: string;
  day: string;
  /** "YYYY-MM-DDTHH" for hourly runs, null for daily ones */
  hour: string | null;
  period: string;
  scheduler_url: string;
  run_id: string;
  attempt: string;
};

export type CommandInput = {
  template: string;
  forceArgument: string | null;
  fromTaskArgument: string | null;
  environment: Record<string, string>;
  values: CommandValues;
  force: boolean;
  fromTask: string | null;
  /** resolves {env:NAME} at launch (the runner's process.env); the display keeps the placeholder */
  env?: EnvLookup;
};

export type RenderedCommand = { argv: string[]; env: Record<string, string>; display: string };

/**
 * The argv and environment to launch, with {env:NAME} resolved; `display` (stored with the run,
 * shown on the run page) is rendered without the lookup so a secret never reaches the database.
 */
export function renderCommand(input: CommandInput): RenderedCommand {
  const launched = renderWith(input, input.env ?? ((name) => process.env[name]));
  const shown = renderWith(input, undefined);
  return { argv: launched.argv, env: launched.env, display: shown.argv.map(shellQuote).join(" ") };
}

function renderWith(input: CommandInput, lookup: EnvLookup | undefined): { argv: string[]; env: Record<string, string> } {
  const substitute = (text: string, values: Record<string, string>) => substituteText(text, values, lookup);
  const scalars: Record<string, string> = { ...input.values, hour: input.values.hour ?? "" };
  if (input.values.hour === null) delete scalars.hour;
  const forceWords = input.force ? splitWords(input.forceArgument ?? "").map((w) => substitute(w, scalars)) : [];
  const fromTaskWords =
    input.fromTask && input.fromTaskArgument ? splitWords(input.fromTaskArgument).map((w) => substitute(w, { ...scalars, task: input.fromTask! })) : [];
  const words = splitWords(input.template);
  const argv: string[] = [];
  for (const word of words) {
    if (word === "{force}") argv.push(...forceWords);
    else if (word === "{from_task}") argv.push(...fromTaskWords);
    else argv.push(substitute(word, scalars));
  }
  // A template without the placeholder still gets the argument: forcing must never be silently dropped.
  if (!words.includes("{force}")) argv.push(...forceWords);
  if (!words.includes("{from_task}")) argv.push(...fromTaskWords);
  const envScalars = { ...scalars, force: input.force ? "true" : "false", from_task: input.fromTask ?? "" };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.environment)) env[name] = substitute(value, envScalars);
  return { argv, env };
}

/** How a word would be typed in a POSIX shell: for logs and the run page, never executed. */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
