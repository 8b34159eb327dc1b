// One line per event, prefixed with time, level and the part that speaks, so the interleaved
// output of `switchyard start` stays readable and greppable.

export type LogLevel = "debug" | "info" | "warn" | "error";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(part: string): Logger;
};

export function createLogger(part: string, level: LogLevel = envLevel(), write = defaultWrite): Logger {
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? " " + formatFields(fields) : "";
    write(at, `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${part}] ${message}${extra}`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (sub) => createLogger(`${part}/${sub}`, level, write),
  };
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      if (v instanceof Error) return `${k}=${JSON.stringify(v.stack ?? v.message)}`;
      const text = typeof v === "string" ? v : JSON.stringify(v);
      return `${k}=${/[\s"=]/.test(text ?? "") ? JSON.stringify(text) : text}`;
    })
    .join(" ");
}

function defaultWrite(level: LogLevel, line: string) {
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

function envLevel(): LogLevel {
  const v = process.env.LOG_LEVEL;
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
}
