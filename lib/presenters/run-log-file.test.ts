import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogOutsideFolder, openRunLog } from "@/lib/presenters/run-log-file";

// Which files the web app agrees to open as a run's log: regular files inside the runners' log folder.

let root: string;
let folder: string;

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-run-log-file-")));
  folder = path.join(root, "runs");
  fs.mkdirSync(path.join(folder, "acme"), { recursive: true });
  fs.writeFileSync(path.join(folder, "acme", "1.log"), "line 1\n");
  fs.writeFileSync(path.join(root, "secret.txt"), "not a log\n");
  fs.symlinkSync(path.join(root, "secret.txt"), path.join(folder, "out.log"));
  fs.symlinkSync(path.join(folder, "acme", "1.log"), path.join(folder, "in.log"));
  fs.symlinkSync(root, path.join(folder, "up")); // a directory link that leads out
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("openRunLog", () => {
  it("opens a log in the folder, also through a link that stays inside it", async () => {
    for (const name of ["acme/1.log", "in.log"]) {
      const handle = await openRunLog(path.join(folder, name), folder);
      expect((await handle!.readFile("utf8")).toString()).toBe("line 1\n");
      await handle!.close();
    }
  });

  it("refuses a path outside, a .. escape, and symlinks (file or folder) that lead out", async () => {
    for (const p of [path.join(root, "secret.txt"), `${folder}/acme/../../secret.txt`, path.join(folder, "out.log"), path.join(folder, "up", "secret.txt"), "/etc/passwd"]) {
      await expect(openRunLog(p, folder), p).rejects.toThrow(LogOutsideFolder);
    }
  });

  it("answers null for a missing file and for a folder", async () => {
    expect(await openRunLog(path.join(folder, "gone.log"), folder)).toBeNull();
    expect(await openRunLog(path.join(folder, "acme"), folder)).toBeNull();
  });
});
