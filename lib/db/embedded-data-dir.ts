import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// Where the embedded cluster lives, and who runs it. PostgreSQL refuses to run as root, so as root
// the server runs as the `postgres` system user — which cannot enter a home folder like /root
// (mode 0700). Then the cluster goes to a folder it can enter, under /var/lib/switchyard, named
// after SWITCHYARD_HOME's absolute path so two clones never share a cluster (issue 10, point 7).

export type Owner = { uid: number; gid: number };

/** Where a root-run cluster lives when the postgres user cannot enter the home (a test may point it elsewhere). */
const outsideRoot = () => process.env.SWITCHYARD_PG_OUTSIDE_ROOT || "/var/lib/switchyard";

export type DataDir = { dataDir: string; moved: boolean };

export function chooseDataDir(home: string, owner: Owner | undefined): DataDir {
  const inside = path.join(path.resolve(home), "postgres");
  if (!owner || canEnter(path.dirname(inside), owner.uid)) return { dataDir: inside, moved: false };
  const absolute = path.resolve(home);
  const slug = absolute.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(-60) || "root";
  const hash = createHash("sha256").update(absolute).digest("hex").slice(0, 8);
  const base = path.join(outsideRoot(), `${slug}-${hash}`);
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  if (!canEnter(base, owner.uid)) {
    throw new Error(`the embedded PostgreSQL runs as the postgres user, which cannot enter ${base}; set SWITCHYARD_HOME to a folder it can enter`);
  }
  return { dataDir: path.join(base, "postgres"), moved: true };
}

/** Whether every folder from `dir` up to / lets the user `uid` pass through (owner, or x for others). */
function canEnter(dir: string, uid: number): boolean {
  let current = path.resolve(dir);
  while (true) {
    const st = fs.statSync(current, { throwIfNoEntry: false });
    if (st && !(st.uid === uid || (st.mode & 0o001) !== 0)) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user (created if missing). */
export function postgresOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  const created = lookup();
  if (!created) throw new Error("could not create the `postgres` system user that runs the embedded database as root");
  return created;
}

export type Binaries = { initdb: string; postgres: string };

/**
 * The PostgreSQL binaries ship inside node_modules — under a root-only home they are as out of
 * reach for the postgres user as the cluster is (initdb fails with EACCES). Then the package's
 * native folder (~60 MB) is copied once, per version, next to the moved clusters, and run from there.
 */
export function reachableBinaries(binaries: Binaries, owner: Owner | undefined): { binaries: Binaries; copiedTo: string | null } {
  if (!owner || canEnter(path.dirname(binaries.initdb), owner.uid)) return { binaries, copiedTo: null };
  const native = path.dirname(path.dirname(fs.realpathSync(binaries.initdb))); // …/native (bin, lib, share)
  const stamp = fs.statSync(binaries.postgres).mtimeMs.toFixed(0);
  const id = createHash("sha256").update(`${native}|${stamp}`).digest("hex").slice(0, 8);
  fs.mkdirSync(outsideRoot(), { recursive: true, mode: 0o755 });
  const target = path.join(outsideRoot(), `postgres-binaries-${id}`);
  if (!fs.existsSync(path.join(target, "bin", "postgres"))) {
    const partial = `${target}.partial-${process.pid}`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, target); // another start may have won the race: then ours is the one kept
  }
  if (!canEnter(path.join(target, "bin"), owner.uid)) throw new Error(`the postgres user cannot reach the PostgreSQL binaries copied to ${target}`);
  const rel = (file: string) => path.join(target, path.relative(native, fs.realpathSync(file)));
  return { binaries: { initdb: rel(binaries.initdb), postgres: rel(binaries.postgres) }, copiedTo: target };
}
