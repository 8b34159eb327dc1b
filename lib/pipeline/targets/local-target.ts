import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Files written atomically: the data goes to a hidden temp file beside the output, is flushed to
// disk, then renamed over the output path. rename(2) within one folder is atomic, so a reader (or a
// complete() check) sees either no file, the old file or the whole new file — never half of one,
// even if the process is killed mid-write. A forced re-run replaces the old output the same way.

export interface Target {
  /** true when the output is there and whole: a task is complete when all its outputs exist */
  exists(): boolean | Promise<boolean>;
  toString(): string;
}

export class LocalTarget implements Target {
  readonly path: string;

  constructor(filePath: string) {
    this.path = path.resolve(filePath);
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  toString(): string {
    return this.path;
  }

  /** Writes the whole content atomically. */
  async write(data: string | Uint8Array): Promise<void> {
    await this.writeWith(async (tmp) => {
      await writeAndSync(tmp, data);
    });
  }

  /**
   * Hands a temp path to `produce`, which must write the file there; on success the file is
   * synced and renamed into place, on failure it is deleted and the old output (if any) stays.
   */
  async writeWith<T>(produce: (tmpPath: string) => Promise<T> | T): Promise<T> {
    const dir = path.dirname(this.path);
    await fs.promises.mkdir(dir, { recursive: true });
    sweepStaleTemps(dir, path.basename(this.path));
    const tmp = tempSibling(this.path, "tmp");
    try {
      const result = await produce(tmp);
      await syncFile(tmp);
      await fs.promises.rename(tmp, this.path);
      await syncDir(dir);
      return result;
    } catch (error) {
      await fs.promises.rm(tmp, { force: true, recursive: true });
      throw error;
    }
  }

  async read(): Promise<Buffer> {
    return fs.promises.readFile(this.path);
  }

  async readText(): Promise<string> {
    return fs.promises.readFile(this.path, "utf8");
  }

  async remove(): Promise<void> {
    await fs.promises.rm(this.path, { force: true });
  }
}

/** `.name.tmp-<pid>-<random>` beside the target: same file system, so rename is atomic. */
export function tempSibling(target: string, kind: "tmp" | "old"): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Removes temp files left by processes that were killed mid-write (their pid is gone). */
export function sweepStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(tmp|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
    if (!m || pidAlive(Number(m[2]))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFile(file: string): Promise<void> {
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) return;
  const handle = await fs.promises.open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; best effort (some file systems refuse to fsync a folder). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not fatal: the data is already synced; only the rename's durability is at stake
  }
}
