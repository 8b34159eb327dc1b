import fs from "node:fs";
import path from "node:path";
import { createLogger, type Logger, type LogLevel } from "../log/logger";

// One log per run: every line the worker and its task processes write is appended to the file
// SWITCHYARD_RUN_LOG names — the runner keeps that file and the dashboard shows it — and only
// warnings and errors also go to stderr (without the variable, everything goes to stderr). Each process appends whole lines with O_APPEND, so lines from parallel task processes
// interleave but never tear. Lines carry the task id in brackets, so one task's log can be grepped out.

export type { Logger };

let fd: number | null | undefined;

function runLogFd(): number | null {
  if (fd !== undefined) return fd;
  const file = process.env.SWITCHYARD_RUN_LOG;
  fd = null;
  if (file) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fd = fs.openSync(file, "a");
    } catch (error) {
      process.stderr.write(`switchyard run: cannot open the run log ${file}: ${(error as Error).message}; logging to stderr only\n`);
    }
  }
  return fd;
}

function write(level: LogLevel, line: string): void {
  const text = line + "\n";
  const target = runLogFd();
  if (target === null || level === "warn" || level === "error") process.stderr.write(text);
  if (target !== null) {
    try {
      fs.writeSync(target, text);
    } catch {
      process.stderr.write(text); // a full disk must not fail the task, nor lose the line
    }
  }
}

const level = (): LogLevel => {
  const v = process.env.LOG_LEVEL;
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
};

/** The worker's own log. */
export function workerLogger(part = "worker"): Logger {
  return createLogger(part, level(), write);
}

/** A task's log: every line is tagged with the task id. */
export function taskLogger(taskId: string): Logger {
  return createLogger(taskId, level(), write);
}

/** Multi-line text (a stack trace) as log lines, each tagged like the rest. */
export function logBlock(logger: Logger, at: "info" | "error", text: string): void {
  for (const line of text.replace(/\n+$/, "").split("\n")) logger[at](line);
}
