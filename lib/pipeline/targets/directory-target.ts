import fs from "node:fs";
import path from "node:path";
import { sweepStaleTemps, syncDir, tempSibling, writeAndSync, type Target } from "./local-target";

// A folder of files (e.g. partitions) that counts as complete only once its _SUCCESS marker exists,
// like Hadoop/Spark outputs and Luigi's flag targets. The folder is built under a temp name and
// then renamed into place with the marker already inside, so no reader ever sees a partial folder
// with a marker. Replacing an existing folder (a forced re-run) moves the old one aside first:
// there is a moment with no folder at all, never one with mixed old and new files.

export class DirectoryTarget implements Target {
  readonly path: string;

  constructor(
    dirPath: string,
    readonly flag = "_SUCCESS",
  ) {
    this.path = path.resolve(dirPath);
  }

  exists(): boolean {
    return fs.existsSync(path.join(this.path, this.flag));
  }

  toString(): string {
    return this.path;
  }

  /** `produce` fills the temp folder it is given; on success the marker is written and the folder swapped in. */
  async writeWith<T>(produce: (tmpDir: string) => Promise<T> | T): Promise<T> {
    const parent = path.dirname(this.path);
    await fs.promises.mkdir(parent, { recursive: true });
    sweepStaleTemps(parent, path.basename(this.path));
    const tmp = tempSibling(this.path, "tmp");
    await fs.promises.mkdir(tmp);
    try {
      const result = await produce(tmp);
      await writeAndSync(path.join(tmp, this.flag), "");
      await syncDir(tmp);
      await this.swapIn(tmp);
      return result;
    } catch (error) {
      await fs.promises.rm(tmp, { recursive: true, force: true });
      throw error;
    }
  }

  private async swapIn(tmp: string): Promise<void> {
    const parent = path.dirname(this.path);
    let old: string | null = null;
    if (fs.existsSync(this.path)) {
      old = tempSibling(this.path, "old");
      await fs.promises.rename(this.path, old);
    }
    try {
      await fs.promises.rename(tmp, this.path);
    } catch (error) {
      if (old) await fs.promises.rename(old, this.path).catch(() => {});
      throw error;
    }
    await syncDir(parent);
    if (old) await fs.promises.rm(old, { recursive: true, force: true });
  }

  /** The data files in the folder (not the marker), sorted by name. */
  async files(): Promise<string[]> {
    const names = await fs.promises.readdir(this.path);
    return names.filter((n) => n !== this.flag && !n.startsWith(".")).sort().map((n) => path.join(this.path, n));
  }
}
