import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectoryTarget } from "./directory-target";
import { LocalTarget } from "./local-target";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-targets-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("LocalTarget", () => {
  it("writes atomically and leaves no temp file behind", async () => {
    const t = new LocalTarget(path.join(dir, "a/b/out.txt"));
    expect(t.exists()).toBe(false);
    await t.write("hello");
    expect(t.exists()).toBe(true);
    expect(await t.readText()).toBe("hello");
    expect(fs.readdirSync(path.dirname(t.path))).toEqual(["out.txt"]);
  });

  it("keeps the old output when producing the new one fails", async () => {
    const t = new LocalTarget(path.join(dir, "keep.txt"));
    await t.write("old");
    await expect(
      t.writeWith(async (tmp) => {
        fs.writeFileSync(tmp, "half of the new");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await t.readText()).toBe("old");
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(".keep.txt"))).toEqual([]);
  });

  it("never exposes a half-written file when the writer is killed", async () => {
    const target = path.join(dir, "killed.bin");
    // A separate process writes 200 MB slowly through writeWith and is SIGKILLed mid-way.
    const script = `
      import fs from "node:fs";
      import { LocalTarget } from ${JSON.stringify(path.resolve("lib/pipeline/targets/local-target.ts"))};
      await new LocalTarget(${JSON.stringify(target)}).writeWith(async (tmp) => {
        const fd = fs.openSync(tmp, "w");
        for (let i = 0; i < 200; i++) { fs.writeSync(fd, Buffer.alloc(1 << 20, 1)); if (i === 5) process.send?.("writing"); await new Promise((r) => setTimeout(r, 20)); }
        fs.closeSync(fd);
      });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    await new Promise<void>((resolve) => child.once("message", () => resolve()));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).some((n) => n.startsWith(".killed.bin.tmp-"))).toBe(true);
    // the next writer sweeps the dead process's temp file
    await new LocalTarget(target).write("whole");
    expect(fs.readdirSync(dir).filter((n) => n.includes("killed.bin"))).toEqual(["killed.bin"]);
  });
});

describe("DirectoryTarget", () => {
  it("is complete only with its _SUCCESS marker", async () => {
    const t = new DirectoryTarget(path.join(dir, "parts"));
    fs.mkdirSync(t.path);
    fs.writeFileSync(path.join(t.path, "part-0"), "x");
    expect(t.exists()).toBe(false); // a folder without the marker is not an output
    await t.writeWith((tmp) => {
      fs.writeFileSync(path.join(tmp, "part-0"), "a");
      fs.writeFileSync(path.join(tmp, "part-1"), "b");
    });
    expect(t.exists()).toBe(true);
    expect((await t.files()).map((f) => path.basename(f))).toEqual(["part-0", "part-1"]);
  });

  it("replaces a complete folder as a whole on re-run", async () => {
    const t = new DirectoryTarget(path.join(dir, "replace"));
    await t.writeWith((tmp) => {
      for (const n of ["p0", "p1", "p2"]) fs.writeFileSync(path.join(tmp, n), "old");
    });
    await t.writeWith((tmp) => fs.writeFileSync(path.join(tmp, "q0"), "new"));
    expect(fs.readdirSync(t.path).sort()).toEqual(["_SUCCESS", "q0"]);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(".replace."))).toEqual([]);
  });

  it("leaves the previous folder in place if the new one fails", async () => {
    const t = new DirectoryTarget(path.join(dir, "stable"));
    await t.writeWith((tmp) => fs.writeFileSync(path.join(tmp, "p0"), "old"));
    await expect(t.writeWith(() => Promise.reject(new Error("bad input")))).rejects.toThrow("bad input");
    expect(t.exists()).toBe(true);
    expect(fs.readFileSync(path.join(t.path, "p0"), "utf8")).toBe("old");
  });
});
