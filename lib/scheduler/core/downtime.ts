// Time no scheduler was serving is not the workers' silence. Luigi workers go on running their
// tasks while the scheduler is away — its database down, its host rebooting — and cannot reach it
// meanwhile (their pings fail, or are refused as state changes). Counted as their silence, an
// outage longer than worker_disconnect_delay would have the first prune after it drop every worker
// and fail every RUNNING task, to be run twice. So each worker's last contact moves forward by the
// downtime: one that had gone quiet before keeps its silence, one that does not call again is
// dropped one worker_disconnect_delay after the scheduler serves again.
// (luigid does not do this: it prunes every worker on its first prune after a long restart.)

/**
 * Moves every worker's last contact forward by the downtime: the time since the latest call any of
 * them made (at a restore, as far as the stored state knows). If the workers had all been quiet
 * before the outage, this excuses more than the outage: a worker that died then is dropped up to
 * one worker_disconnect_delay late.
 */
export function forgiveDowntime(workers: ReadonlyArray<{ lastActive: number }>, now: number): void {
  let heard = -Infinity;
  for (const w of workers) heard = Math.max(heard, w.lastActive);
  const downtime = now - heard;
  if (!(downtime > 0) || !Number.isFinite(downtime)) return;
  for (const w of workers) w.lastActive += downtime;
}
