import fs from "node:fs";
import path from "node:path";

// A run's log file with a size cap: when the file would pass maxBytes it is renamed to .1 (the
// older .1 to .2, and so on up to `keep`) and a fresh file is started, so a chatty run can use
// at most (keep + 1) × maxBytes of disk and the newest output is always kept.

export type RotatingLogOptions = { maxBytes: number; keep: number };

export class RotatingLog {
  private fd: number;
  private size: number;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly options: RotatingLogOptions,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, "a");
    this.size = fs.fstatSync(this.fd).size;
  }

  write(chunk: Buffer | string): void {
    if (this.closed) return;
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    while (data.length > 0) {
      if (this.size >= this.options.maxBytes) this.rotate();
      const room = this.options.maxBytes - this.size;
      const part = data.subarray(0, room);
      fs.writeSync(this.fd, part);
      this.size += part.length;
      data = data.subarray(part.length);
    }
  }

  /** A line from the runner itself (start, exit, cancel), marked so it is not mistaken for the command's output. */
  note(message: string): void {
    this.write(`[switchyard ${new Date().toISOString()}] ${message}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    for (let i = this.options.keep; i >= 1; i--) {
      const from = i === 1 ? this.file : `${this.file}.${i - 1}`;
      if (i === this.options.keep) fs.rmSync(`${this.file}.${i}`, { force: true });
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i}`);
    }
    if (this.options.keep === 0) fs.rmSync(this.file, { force: true });
    this.fd = fs.openSync(this.file, "a");
    this.size = 0;
  }
}
