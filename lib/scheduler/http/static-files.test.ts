import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasPython } from "@/lib/testing/has-python";
import { afterAll, describe, expect, it } from "vitest";
import { findLuigiStatic } from "@/lib/scheduler/http/static-files";
import { startDaemon } from "@/lib/scheduler/testing/daemon-process";

// A scheduler started without static_dir serves the visualiser of the Luigi that python3 imports,
// as luigid serves its own. Python is real; the "Luigi" is a package of our own on PYTHONPATH
// holding only what is looked for (the project's tests never depend on Luigi itself).


function fakeLuigi(withVisualiser: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-luigi-"));
  fs.mkdirSync(path.join(root, "luigi", "static", "visualiser"), { recursive: true });
  fs.writeFileSync(path.join(root, "luigi", "__init__.py"), "");
  if (withVisualiser) fs.writeFileSync(path.join(root, "luigi", "static", "visualiser", "index.html"), "<html>the installed visualiser</html>");
  return root;
}

describe.skipIf(!hasPython)("the installed Luigi's visualiser", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const luigi = (withVisualiser: boolean) => {
    roots.push(fakeLuigi(withVisualiser));
    return roots.at(-1)!;
  };

  it("is found through python3 and its PYTHONPATH, and only if it has the visualiser", async () => {
    const root = luigi(true);
    expect(await findLuigiStatic("python3", { ...process.env, PYTHONPATH: root })).toBe(path.join(root, "luigi", "static"));
    // a Luigi on PYTHONPATH whose own dependencies this Python lacks (Luigi's source with no tenacity): its files are still there
    const broken = luigi(true);
    fs.writeFileSync(path.join(broken, "luigi", "__init__.py"), "raise ModuleNotFoundError(\"No module named 'tenacity'\")\n");
    expect(await findLuigiStatic("python3", { ...process.env, PYTHONPATH: broken })).toBe(path.join(broken, "luigi", "static"));
    expect(await findLuigiStatic("python3", { ...process.env, PYTHONPATH: luigi(false) })).toBeNull();
    expect(await findLuigiStatic("python3", { ...process.env, PYTHONPATH: "" })).toBeNull(); // Debian's python3 has no Luigi
    expect(await findLuigiStatic(path.join(os.tmpdir(), "no-such-python"))).toBeNull();
  });

  it("is served by `switchyard scheduler` when no static_dir is set; a set one wins", async () => {
    const root = luigi(true);
    const found = await startDaemon({ env: { PYTHONPATH: root } });
    try {
      const page = await fetch(`${found.url}/static/visualiser/index.html`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe("<html>the installed visualiser</html>");
    } finally {
      await found.kill("SIGTERM");
    }
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "own-static-"));
    roots.push(own);
    const configured = await startDaemon({ env: { PYTHONPATH: root }, config: `[switchyard]\nstatic_dir = ${own}\n` });
    try {
      const page = await fetch(`${configured.url}/static/visualiser/index.html`);
      expect(page.status).toBe(404);
      expect(configured.output()).toContain(`static_dir ${own} has no visualiser/index.html`);
    } finally {
      await configured.kill("SIGTERM");
    }
  });
});
