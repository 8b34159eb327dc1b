import type { Queryable } from "@/lib/db/runs/run-columns";

// Each runner records whether it could reach the scheduler (lib/runner/scheduler-probe.ts): the
// scheduler_unreachable rule reads the last success and the last error of the live runners.

/** `error` null: the scheduler answered now. Otherwise the first line of why it did not. */
export async function recordSchedulerContact(db: Queryable, runnerId: string, error: string | null): Promise<void> {
  await db.query(
    error === null
      ? `INSERT INTO runner_scheduler_contact (runner_id, ok_at) VALUES ($1, now())
         ON CONFLICT (runner_id) DO UPDATE SET ok_at = now()`
      : `INSERT INTO runner_scheduler_contact (runner_id, error_at, error) VALUES ($1, now(), $2)
         ON CONFLICT (runner_id) DO UPDATE SET error_at = now(), error = excluded.error`,
    error === null ? [runnerId] : [runnerId, error],
  );
}
