import { spawnSync } from "node:child_process";

/**
 * Python with Luigi for the benches that run real Luigi (vs-luigid.ts, luigi-takeover.ts):
 * LUIGI_PYTHON (default /usr/bin/python3) and LUIGI_SRC (default /tmp/luigi-src, put on
 * PYTHONPATH before any PYTHONPATH given). Without them the bench says so and exits 0: the
 * benchmarks themselves never need Python.
 */
export function luigiPython(): { python: string; src: string; env: NodeJS.ProcessEnv } {
  const python = process.env.LUIGI_PYTHON ?? "/usr/bin/python3";
  const src = process.env.LUIGI_SRC ?? "/tmp/luigi-src";
  const env = { ...process.env, PYTHONPATH: [src, process.env.PYTHONPATH].filter(Boolean).join(":") };
  const probe = spawnSync(python, ["-c", "import luigi.cmdline, tornado"], { env, encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    console.log(`skipped: no Python with Luigi here (${python}, PYTHONPATH=${src}): ${probe.error?.message ?? probe.stderr.trim().split("\n").pop()}`);
    process.exit(0);
  }
  return { python, src, env };
}
