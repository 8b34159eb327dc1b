import type { RunnerHealth } from "@/lib/db/hosts/runners";

/** Where a runner runs, as the health and the CLI say it: its host, and its pod when it is not the host ("node-7 (runner-5f9c-x2)"). */
export function runnerPlace(r: Pick<RunnerHealth, "host" | "instance">): string {
  return r.instance && r.instance !== r.host ? `${r.host} (${r.instance})` : r.host;
}
