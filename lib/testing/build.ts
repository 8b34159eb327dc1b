import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "@/lib/paths";

/** Tests that serve the real dashboard need its production build; `npm test` builds first, this covers running one file alone. */
export async function ensureDashboardBuild(): Promise<void> {
  if (fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) return;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [path.join(repoRoot, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: repoRoot, timeout: 300_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`next build failed:\n${stdout}\n${stderr}`)) : resolve(),
    );
  });
}
