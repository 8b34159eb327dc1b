// Time no scheduler was serving is not the workers' silence. Luigi workers go on running their
// tasks while the scheduler is away — its database down, its host rebooting — and cannot reach it
// meanwhile (their pings fail, or are refused as state changes). Counted as their silence, an
// outage longer than worker_disconnect_delay would have the first prune after it drop every worker
// and fail every RUNNING task, to be run twice. So each worker's last contact moves forward by the
// downtime: one that had gone quiet before keeps its silence, one that does not call again is
// dropped one worker_disconnect_delay after the scheduler serves again.
// (luigid does not do this: it prunes every worker on its first prune after a long restart.)

/** Moves each worker's last contact forward by `seconds` (never past `now`, scheduler seconds). */
export function excuseDowntime(workers: Iterable<{ lastActive: number }>, seconds: number, now: number): void {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return;
  for (const w of workers) w.lastActive = Math.min(now, w.lastActive + seconds);
}

/**
 * The downtime: the time since the latest call any worker made (at a restore, as far as the stored
 * state knows). If the workers had all been quiet before the outage, this excuses more than the
 * outage — a worker that died then is dropped up to one worker_disconnect_delay late.
 */
export function downtimeSinceLastContact(workers: Iterable<{ lastActive: number }>, now: number): number {
  let heard = -Infinity;
  for (const w of workers) heard = Math.max(heard, w.lastActive);
  return now - heard;
}
