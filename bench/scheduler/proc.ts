import fs from "node:fs";

// What the benchmarks read of processes and the machine, from Linux's /proc.

const TICK_MS = 1000 / 100; // USER_HZ

export const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

/** The fields of /proc/<pid>/stat after the command name ([0] the state, [1] the parent pid), or null if it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

const ticks = (f: string[] | null, reaped: boolean) => (f ? Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0) : 0);

/** CPU time (user + system) of a process so far, in ms; 0 if it is gone. */
export function cpuMs(pid: number): number {
  return ticks(statFields(pid), false) * TICK_MS;
}

/** CPU time of a PostgreSQL cluster so far, in ms: the postmaster, the children it reaped, and those alive. */
export function clusterCpuMs(postmaster: number): number {
  let total = ticks(statFields(postmaster), true);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmaster) total += ticks(f, false);
  }
  return total * TICK_MS;
}

/** The machine's idle (idle + iowait) and total CPU time so far, in ms. */
export function machineMs(): { idle: number; total: number } {
  const all = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: (all[3] + all[4]) * TICK_MS, total: all.reduce((a, b) => a + b, 0) * TICK_MS };
}
