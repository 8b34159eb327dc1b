import fs from "node:fs";

// The processes of a running PostgreSQL, for tests that stop or kill them the way a crash, a
// frozen host or an OOM killer would.

/** The parent pid of `pid`, from /proc/<pid>/stat ("pid (comm) state ppid …"; comm may hold spaces). */
export function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null; // gone meanwhile
  }
}

/** The postmaster's pid from its data folder's postmaster.pid. */
export function postmasterOf(dataDir: string): number {
  return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
}

/** The postmaster and every process it started (backends, checkpointer, WAL writer…). */
export function postgresProcesses(postmaster: number): number[] {
  return [postmaster, ...postgresChildren(postmaster)];
}

/** Every process the postmaster started. */
export function postgresChildren(postmaster: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);
}
