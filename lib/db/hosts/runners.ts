import type { Queryable } from "@/lib/db/runs/run-columns";

// Hosts and runners: a runner registers its host and itself on start, heartbeats while alive
// (lost-run detection reads heartbeat_at), and marks itself stopped on a clean shutdown.

/**
 * SQL condition on a runner row `x` that went silent without stopping (kill -9, a crash): a runner
 * was started on the same host after x's last heartbeat — x was restarted (`switchyard start`'s
 * supervisor, systemd, its pod's container), and the newer row speaks for the host (stale itself
 * if it died too). With two runner pods on one node, only x's own instance started again, or a
 * new pod there (the first runner of its instance), replaces x: the sibling pod's restart does
 * not, or a dead pod would hide behind its sibling's crash. Read only: x is never marked stopped
 * for it, so a runner that was merely stalled and heartbeats again is simply alive. The alert rule
 * runner_stale and the health's runner list leave such rows out. (A runner that crashes over and
 * over leaves each row replaced before it is stale: the rule runner_restarts counts those.)
 */
export const REPLACED_RUNNER_SQL = `EXISTS (SELECT 1 FROM runners y WHERE y.host_id = x.host_id AND y.id <> x.id AND y.started_at > x.heartbeat_at
  AND (x.instance IS NULL OR y.instance IS NULL OR y.instance = x.instance
       OR NOT EXISTS (SELECT 1 FROM runners z WHERE z.host_id = y.host_id AND z.instance = y.instance AND z.started_at < y.started_at)))`;

export type HostInfo = { name: string; cpuCount: number; memoryTotalBytes: number };

export type Registered = { hostId: number; pausedFrom: string | null };

/**
 * Registers a runner on its host. An operator's pause holds for the host, not the process (as a
 * cordoned node stays cordoned when its agent restarts): if the runner this one follows was
 * paused, the new one starts paused too, and `pausedFrom` names that runner. It follows its own
 * earlier life — the last runner of the same `instance` (os.hostname(): the pod, whose name a
 * container restart keeps) on the host — and else the last runner started on the host: with two
 * runner pods on one node, a restarted one does not take its sibling's pause or lose its own.
 * Only a resume (or a week without any runner on the host: pruneRunners) ends it.
 */
export async function registerRunner(db: Queryable, runner: { id: string; pid: number; version: string | null; host: HostInfo; instance?: string | null; logUrl?: string | null }): Promise<Registered> {
  const result = await db.query<{ host_id: number; paused_from: string | null }>(
    `WITH host AS (
       INSERT INTO hosts (name, cpu_count, memory_total_bytes) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET cpu_count = excluded.cpu_count, memory_total_bytes = excluded.memory_total_bytes, last_seen_at = now()
       RETURNING id
     ), previous AS (
       SELECT y.id, y.paused, y.paused_by, y.paused_reason, y.paused_at FROM runners y, host WHERE y.host_id = host.id AND y.id <> $4
        ORDER BY y.instance IS NOT DISTINCT FROM $7::text AND $7::text IS NOT NULL DESC, y.started_at DESC LIMIT 1
     )
     INSERT INTO runners (id, host_id, pid, version, instance, log_url, paused, paused_by, paused_reason, paused_at)
     SELECT $4, host.id, $5, $6, $7, $8, COALESCE(p.paused, false), p.paused_by, p.paused_reason, p.paused_at
       FROM host LEFT JOIN previous p ON p.paused
     RETURNING host_id, (SELECT id FROM previous WHERE paused) AS paused_from`,
    [runner.host.name, runner.host.cpuCount, runner.host.memoryTotalBytes, runner.id, runner.pid, runner.version, runner.instance ?? null, runner.logUrl ?? null],
  );
  return { hostId: result.rows[0].host_id, pausedFrom: result.rows[0].paused_from };
}

export type RunnerControl = { paused: boolean; runnerPaused: boolean; maxRunning: number | null; revived: boolean };

/**
 * Heartbeat; answers whether claiming is paused (the whole fleet, or this runner). A runner an
 * operator forgot while it was out of touch (forgetRunner) is alive after all: its row is live
 * again (`revived`), and its runs were handed on meanwhile. null: the row is gone (pruned after a
 * week without a heartbeat), and the runner must register again.
 */
export async function heartbeatRunner(db: Queryable, runnerId: string): Promise<RunnerControl | null> {
  const result = await db.query(
    `WITH me AS (SELECT id, stopped_at FROM runners WHERE id = $1 FOR UPDATE)
     UPDATE runners x SET heartbeat_at = now(), stopped_at = NULL FROM runner_control c, me
      WHERE x.id = me.id AND c.id = 1
      RETURNING c.paused, x.paused AS runner_paused, c.max_running, me.stopped_at IS NOT NULL AS revived`,
    [runnerId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return { paused: row.paused, runnerPaused: row.runner_paused, maxRunning: row.max_running, revived: row.revived };
}

/** A runner that heartbeated this recently is alive: the health shows it ok, and it cannot be forgotten. */
export const RUNNER_ALIVE_SECONDS = 30;

/**
 * SQL condition on a runner row `x`: alive at `now` (an SQL expression) — not stopped, heard from
 * within RUNNER_ALIVE_SECONDS, and not replaced by a runner started on its host since (killed and
 * restarted: for its last 30 s of silence it would count twice, "2 live runners" where one runs).
 */
export const liveRunnerSql = (now: string) => `x.stopped_at IS NULL AND x.heartbeat_at > ${now} - make_interval(secs => ${RUNNER_ALIVE_SECONDS}) AND NOT ${REPLACED_RUNNER_SQL}`;

/** SQL expression on a runner row `x`: how many runs it has running (runs_running_idx). */
export const RUNNING_RUNS_SQL = `(SELECT count(*)::int FROM runs r WHERE r.status = 'running' AND r.runner_id = x.id)`;

export type RunnerHealth = {
  id: string;
  host: string;
  /** its process's machine name (the pod in Kubernetes), when it recorded one */
  instance: string | null;
  heartbeatAgeSeconds: number;
  status: "ok" | "down";
  paused: boolean;
  /** Who paused it, why and when (ISO), while it is paused: carried over to a runner started again on the host. */
  pause: { by: string | null; reason: string | null; at: string | null } | null;
  runningRuns: number;
};

/** A runner silent this long (its host gone) is no longer listed, even down. */
const LISTED_SILENT_HOURS = 24;

/** The runners the health lists: alive, or down without having stopped (for a day), newest heartbeat first. */
export async function listRunners(db: Queryable): Promise<RunnerHealth[]> {
  const r = await db.query<{ id: string; host: string; instance: string | null; age: number; paused: boolean; paused_by: string | null; paused_reason: string | null; paused_at: Date | null; running: number }>(
    // a runner killed and restarted on its host is not a component that is down, nor one silent
    // for a day (its host is gone: a node lost with its pod; an operator can forget it sooner,
    // control/runner-actions.ts, which also resolves its runner_stale)
    `SELECT x.id, h.name AS host, x.instance, extract(epoch FROM now() - x.heartbeat_at)::float8 AS age, x.paused, x.paused_by, x.paused_reason, x.paused_at,
            ${RUNNING_RUNS_SQL} AS running
       FROM runners x JOIN hosts h ON h.id = x.host_id
      WHERE x.stopped_at IS NULL AND x.heartbeat_at > now() - interval '${LISTED_SILENT_HOURS} hours' AND NOT ${REPLACED_RUNNER_SQL}
      ORDER BY x.heartbeat_at DESC LIMIT 50`,
  );
  return r.rows.map((row) => ({
    id: row.id,
    host: row.host,
    instance: row.instance,
    heartbeatAgeSeconds: Math.round(row.age),
    status: row.age <= RUNNER_ALIVE_SECONDS ? "ok" : "down",
    paused: row.paused,
    pause: row.paused ? { by: row.paused_by, reason: row.paused_reason, at: row.paused_at?.toISOString() ?? null } : null,
    runningRuns: row.running,
  }));
}

export type ForgetOutcome =
  | { outcome: "forgotten"; host: string; heartbeatAgeSeconds: number; runningRuns: number }
  | { outcome: "alive"; host: string; heartbeatAgeSeconds: number }
  | { outcome: "stopped"; host: string; stoppedAt: Date }
  | { outcome: "absent" };

/**
 * An operator's word that a silent runner is gone for good (its pod was lost with its node, its
 * machine was retired): it is marked stopped, so runner_stale resolves, the health stops listing
 * it, and lost-run detection hands its running runs on. Refused for a runner heard from within
 * RUNNER_ALIVE_SECONDS. Should it come back after all, its next heartbeat makes it live again.
 */
export async function forgetRunner(db: Queryable, runnerId: string): Promise<ForgetOutcome> {
  const row = await lockRunner(db, runnerId);
  if (!row) return { outcome: "absent" };
  const heartbeatAgeSeconds = Math.round(row.age);
  if (row.stoppedAt) return { outcome: "stopped", host: row.host, stoppedAt: row.stoppedAt };
  if (row.age < RUNNER_ALIVE_SECONDS) return { outcome: "alive", host: row.host, heartbeatAgeSeconds };
  await db.query("UPDATE runners SET stopped_at = now() WHERE id = $1", [runnerId]);
  return { outcome: "forgotten", host: row.host, heartbeatAgeSeconds, runningRuns: row.running };
}

/** One runner's row, locked for the operator's change in the caller's transaction; null if there is none. */
async function lockRunner(db: Queryable, runnerId: string) {
  const found = await db.query<{ host: string; stoppedAt: Date | null; paused: boolean; age: number; running: number }>(
    `SELECT h.name AS host, x.stopped_at AS "stoppedAt", x.paused, extract(epoch FROM now() - x.heartbeat_at)::float8 AS age,
            ${RUNNING_RUNS_SQL} AS running
       FROM runners x JOIN hosts h ON h.id = x.host_id
      WHERE x.id = $1 FOR UPDATE OF x`,
    [runnerId],
  );
  return found.rows[0] ?? null;
}

export type PauseOutcome = { outcome: "changed" | "unchanged"; host: string; runningRuns: number } | { outcome: "stopped"; host: string } | { outcome: "absent" };

/**
 * Pauses or resumes one runner (its row's `paused`, read by its heartbeat): paused, it finishes the
 * runs it has and claims nothing new — a host drained before maintenance. The fleet's switch is
 * runner_control. A stopped runner has nothing to pause; a runner started again on the host starts
 * paused (registerRunner).
 */
export async function setRunnerRowPaused(db: Queryable, runnerId: string, paused: boolean, by: { actor: string; reason: string | null }): Promise<PauseOutcome> {
  const row = await lockRunner(db, runnerId);
  if (!row) return { outcome: "absent" };
  if (row.stoppedAt) return { outcome: "stopped", host: row.host };
  if (row.paused === paused) return { outcome: "unchanged", host: row.host, runningRuns: row.running };
  // who paused it, why and since when, for the component health (cleared by a resume)
  await db.query(
    `UPDATE runners SET paused = $2, paused_by = CASE WHEN $2 THEN $3 END, paused_reason = CASE WHEN $2 THEN $4 END, paused_at = CASE WHEN $2 THEN now() END WHERE id = $1`,
    [runnerId, paused, by.actor, by.reason],
  );
  return { outcome: "changed", host: row.host, runningRuns: row.running };
}

/** Deletes the rows of runners not heard from in `seconds` (stopped or dead): what the health and the rules no longer read. */
export async function pruneRunners(db: Queryable, seconds: number): Promise<number> {
  const result = await db.query("DELETE FROM runners WHERE heartbeat_at < now() - make_interval(secs => $1::double precision)", [seconds]);
  return result.rowCount ?? 0;
}

export type RunnerStop = { id: string; host: string; at: Date };

/** The runner that stopped (or was forgotten) last, among the rows still kept (7 days); null if none did. */
export async function lastRunnerStop(db: Queryable): Promise<RunnerStop | null> {
  const r = await db.query<RunnerStop>("SELECT x.id, h.name AS host, x.stopped_at AS at FROM runners x JOIN hosts h ON h.id = x.host_id WHERE x.stopped_at IS NOT NULL ORDER BY x.stopped_at DESC LIMIT 1");
  return r.rows[0] ?? null;
}

export async function stopRunner(db: Queryable, runnerId: string): Promise<void> {
  await db.query("UPDATE runners SET stopped_at = now() WHERE id = $1 AND stopped_at IS NULL", [runnerId]);
}
