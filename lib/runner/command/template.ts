// Command templates: a shell-like line split into words once, then placeholders substituted
// per word, and the result executed as an argv array — never through a shell, so a value such
// as a task id with spaces or quotes cannot change what runs. Write `sh -c '…'` explicitly to
// get shell features.

/** Placeholders a command word or environment value may use. */
export const scalarPlaceholders = ["service", "day", "hour", "period", "scheduler_url", "run_id", "attempt"] as const;
/** Placeholders that stand alone as a word and expand to zero or more words. */
export const wordPlaceholders = ["force", "from_task"] as const;
export const placeholders = [...scalarPlaceholders, ...wordPlaceholders] as const;
export type Placeholder = (typeof placeholders)[number];

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** Splits a command line into words: whitespace separates, '…' is literal, "…" and \ escape. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new TemplateError(`unbalanced ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** The placeholders used in a text; {{ and }} are literal braces. */
export function placeholdersIn(text: string): string[] {
  const out: string[] = [];
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

/** `{env:NAME}`: a secret or setting from the runner's environment, read at launch and never stored. */
export const envPlaceholder = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** Looks up `{env:NAME}`; returns undefined when the variable is not set. */
export type EnvLookup = (name: string) => string | undefined;

export function substitute(text: string, values: Partial<Record<string, string>>, env?: EnvLookup): string {
  return text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, name: string | undefined) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    const secret = envPlaceholder.exec(name!);
    if (secret) {
      if (!env) return whole; // rendering for display or storage: the secret stays a placeholder
      const value = env(secret[1]);
      if (value === undefined) throw new TemplateError(`the environment variable ${secret[1]} is not set where the runner runs (the services file uses {env:${secret[1]}})`);
      return value;
    }
    const value = values[name!];
    if (value === undefined) throw new TemplateError(`no value for {${name}}`);
    return value;
  });
}

/**
 * Checks a template; returns a problem in words an operator can act on, or null. `allowed` are
 * the placeholders this template may use ({hour} only in hourly commands, {task} only in the
 * from-task argument).
 */
export function checkTemplate(line: string, allowed: readonly string[], kind: "command" | "environment"): string | null {
  let words: string[];
  try {
    words = kind === "command" ? splitWords(line) : [line];
  } catch (error) {
    return (error as Error).message;
  }
  if (kind === "command" && words.length === 0) return "the command is empty";
  for (const word of words) {
    for (const name of placeholdersIn(word)) {
      if (name.startsWith("env:")) {
        if (!envPlaceholder.test(name)) return `{${name}} is not an environment variable name; write {env:NAME} with letters, digits and _`;
        continue;
      }
      if (!allowed.includes(name)) return `unknown placeholder {${name}}; this one can use ${allowed.map((p) => `{${p}}`).join(", ")}`;
      if (kind === "command" && (wordPlaceholders as readonly string[]).includes(name) && word !== `{${name}}`) {
        return `{${name}} must stand alone as a word (it expands to zero or more words)`;
      }
    }
  }
  return null;
}
