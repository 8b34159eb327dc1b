import type { Queryable } from "@/lib/db/runs/run-columns";

// A runner's view of its own running runs on each heartbeat: which of them an operator asked to
// cancel, and which the database thinks it runs (to find any it has no process for). And the
// CPU and memory figures of each, written in one statement. Both use runs_running_idx.

export type OwnRun = { id: number; cancelRequested: boolean };

export async function listOwnRunningRuns(db: Queryable, runnerId: string): Promise<OwnRun[]> {
  const result = await db.query(
    `SELECT r.id, rr.cancel_requested_at IS NOT NULL AS cancel_requested
       FROM runs r LEFT JOIN run_runtime rr ON rr.run_id = r.id
      WHERE r.runner_id = $1 AND r.status = 'running'`,
    [runnerId],
  );
  return result.rows.map((r) => ({ id: Number(r.id), cancelRequested: r.cancel_requested }));
}

export type RunUsage = { runId: number; cpuSeconds: number | null; peakMemoryBytes: number | null; rootTaskId: string | null };

export async function recordRunUsage(db: Queryable, runnerId: string, usage: RunUsage[]): Promise<void> {
  if (usage.length === 0) return;
  await db.query(
    `UPDATE runs r
        SET last_update_at = now(),
            cpu_seconds = coalesce(u.cpu, r.cpu_seconds),
            peak_memory_bytes = greatest(u.mem, r.peak_memory_bytes),
            root_task_id = coalesce(u.root, r.root_task_id)
       FROM unnest($2::bigint[], $3::real[], $4::bigint[], $5::text[]) AS u(id, cpu, mem, root)
      WHERE r.id = u.id AND r.runner_id = $1 AND r.status = 'running'`,
    [runnerId, usage.map((u) => u.runId), usage.map((u) => u.cpuSeconds), usage.map((u) => u.peakMemoryBytes), usage.map((u) => u.rootTaskId)],
  );
}
