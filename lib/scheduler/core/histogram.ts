// A cumulative histogram with fixed upper bounds, as Prometheus exposes one (`le` buckets, a
// +Inf bucket equal to the count, a sum). Observing costs one short loop and no allocation, so
// it can sit on every RPC and every group commit.

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];

export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Prometheus text lines for this histogram under `name`, with `labels` (e.g. `method="x"`). */
  lines(name: string, labels = ""): string[] {
    const sep = labels ? "," : "";
    const out = this.bounds.map((le, i) => `${name}_bucket{${labels}${sep}le="${le}"} ${this.counts[i]}`);
    const braces = labels ? `{${labels}}` : "";
    out.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${this.count}`, `${name}_sum${braces} ${this.sum}`, `${name}_count${braces} ${this.count}`);
    return out;
  }
}

/** What a durability reports about its group commits and its last restore. */
export type FlushStats = {
  flushes: number;
  seconds: number;
  rows: number;
  events: number;
  /** Checkpoints: journaled changes written into the tables (store/journal.ts). */
  checkpoints: number;
  checkpointSeconds: number;
  restoreSeconds: number;
  restoredTasks: number;
  /** 1 if the last restore laid the journal over a standby's copy (store/warm-standby.ts), 0 if it read every table row. */
  restoredWarm: number;
  /** Seconds per group commit (the journal row's insert). */
  commitSeconds: Histogram;
  /** RPCs acknowledged by each group commit. */
  commitRpcs: Histogram;
};

export function newFlushStats(): FlushStats {
  return { flushes: 0, seconds: 0, rows: 0, events: 0, checkpoints: 0, checkpointSeconds: 0, restoreSeconds: 0, restoredTasks: 0, restoredWarm: 0, commitSeconds: new Histogram(LATENCY_BUCKETS), commitRpcs: new Histogram(SIZE_BUCKETS) };
}
