import type { Launcher } from "@/lib/runner/launchers/types";

/** Wraps a launcher and counts launches per run id, across every runner that shares the map. */
export function countingLauncher(inner: Launcher, counts: Map<number, number>): Launcher {
  return {
    ...inner,
    launch(spec) {
      counts.set(spec.runId, (counts.get(spec.runId) ?? 0) + 1);
      return inner.launch(spec);
    },
  };
}
