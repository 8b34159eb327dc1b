import fs from "node:fs";

// CPU time and resident memory per process group, read from /proc (Linux). Each local run is a
// process group of its own, so summing its members gives the run's figures. Clock ticks and
// page size are the Linux defaults on x86-64 and most arm64 kernels (100 Hz, 4 KiB); Node
// exposes no sysconf to ask.

const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;

/** processes counts live members only: a zombie waiting for its parent is already gone for our purposes. */
export type GroupStats = { cpuSeconds: number; rssBytes: number; processes: number };

/** Parses one /proc/<pid>/stat line; comm may hold spaces and parentheses, so fields are read after the last ")". */
export function parseProcStat(line: string): { state: string; pgrp: number; cpuTicks: number; rssPages: number } | null {
  const close = line.lastIndexOf(")");
  if (close === -1) return null;
  const f = line.slice(close + 2).split(" ");
  // after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime … rss(21)
  const pgrp = Number(f[2]);
  const cpuTicks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  const rssPages = Number(f[21]);
  if (!Number.isFinite(pgrp) || !Number.isFinite(cpuTicks)) return null;
  return { state: f[0], pgrp, cpuTicks, rssPages: Number.isFinite(rssPages) ? rssPages : 0 };
}

/** Figures for the wanted process groups (one pass over /proc); groups with no live process are absent. */
export function readGroupStats(groups: Iterable<number>, procRoot = "/proc"): Map<number, GroupStats> {
  const wanted = new Set(groups);
  const out = new Map<number, GroupStats>();
  if (wanted.size === 0) return out;
  let entries: string[];
  try {
    entries = fs.readdirSync(procRoot);
  } catch {
    return out; // not Linux: no per-run figures
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let line: string;
    try {
      line = fs.readFileSync(`${procRoot}/${name}/stat`, "utf8");
    } catch {
      continue; // the process ended while we looked
    }
    const stat = parseProcStat(line);
    if (!stat || !wanted.has(stat.pgrp)) continue;
    const g = out.get(stat.pgrp) ?? { cpuSeconds: 0, rssBytes: 0, processes: 0 };
    g.cpuSeconds += stat.cpuTicks / CLOCK_TICKS;
    g.rssBytes += stat.rssPages * PAGE_BYTES;
    if (stat.state !== "Z") g.processes += 1;
    out.set(stat.pgrp, g);
  }
  return out;
}

/**
 * True while a live process of the group exists. Signal 0 answers quickly for the usual case;
 * zombies also answer it (in a container whose PID 1 does not reap, they stay), so a yes is
 * confirmed against /proc.
 */
export function groupAlive(pgid: number, procRoot = "/proc"): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (!fs.existsSync(procRoot)) return true;
  return (readGroupStats([pgid], procRoot).get(pgid)?.processes ?? 0) > 0;
}

/** Signals a whole process group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
