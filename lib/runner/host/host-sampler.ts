import fs from "node:fs";
import os from "node:os";

// This host's CPU, memory and load, for host_samples. CPU % is the busy share of all cores
// since the previous sample (os.cpus() counters), so the first reading only primes it.
// Memory used is total minus MemAvailable (what the kernel could hand out without swapping),
// which is what an operator means by "used"; os.freemem() would count the page cache as used.

export type HostReading = { cpuPercent: number; memoryUsedBytes: number; memoryTotalBytes: number; load1: number; load5: number; load15: number };

type CpuTimes = { busy: number; total: number };

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

function memoryAvailable(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/meminfo", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return os.freemem();
}

export function createHostSampler(): () => HostReading {
  let previous = cpuTimes();
  return () => {
    const now = cpuTimes();
    const total = now.total - previous.total;
    const cpuPercent = total > 0 ? Math.min(100, Math.max(0, (100 * (now.busy - previous.busy)) / total)) : 0;
    previous = now;
    const [load1, load5, load15] = os.loadavg();
    const memoryTotalBytes = os.totalmem();
    return { cpuPercent, memoryUsedBytes: memoryTotalBytes - memoryAvailable(), memoryTotalBytes, load1, load5, load15 };
  };
}

export function hostInfo(name: string = os.hostname()) {
  return { name, cpuCount: os.cpus().length, memoryTotalBytes: os.totalmem() };
}
