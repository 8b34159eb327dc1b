import type { SchedulerService } from "@/lib/scheduler/service";
import { STATUSES } from "@/lib/scheduler/core/transitions";

// Prometheus text exposition for /metrics: tasks by status, workers, RPC latency histograms by
// method, and how far behind the history writes are. (luigid's default collector serves nothing.)

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Histogram = { counts: number[]; sum: number; count: number };

export class Metrics {
  private readonly rpc = new Map<string, Histogram>();
  private readonly responses = new Map<string, number>();

  observeRpc(method: string, seconds: number): void {
    let h = this.rpc.get(method);
    if (!h) this.rpc.set(method, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  observeResponse(status: number): void {
    const key = String(status);
    this.responses.set(key, (this.responses.get(key) ?? 0) + 1);
  }

  render(service: SchedulerService): string {
    const { state } = service.scheduler;
    const lines: string[] = [];
    lines.push("# HELP switchyard_scheduler_tasks Tasks held by the scheduler, by status.", "# TYPE switchyard_scheduler_tasks gauge");
    for (const s of STATUSES) lines.push(`switchyard_scheduler_tasks{status="${s}"} ${state.count(s)}`);
    let active = 0;
    let disabled = 0;
    for (const w of state.workers.values()) {
      if (w.disabled) disabled++;
      else active++;
    }
    lines.push("# HELP switchyard_scheduler_workers Workers known to the scheduler, by state.", "# TYPE switchyard_scheduler_workers gauge");
    lines.push(`switchyard_scheduler_workers{state="active"} ${active}`, `switchyard_scheduler_workers{state="disabled"} ${disabled}`);
    lines.push("# HELP switchyard_scheduler_paused 1 while the scheduler is paused.", "# TYPE switchyard_scheduler_paused gauge");
    lines.push(`switchyard_scheduler_paused ${service.scheduler.paused ? 1 : 0}`);
    lines.push("# HELP switchyard_scheduler_history_write_lag_seconds Age of the oldest history event not yet written.", "# TYPE switchyard_scheduler_history_write_lag_seconds gauge");
    lines.push(`switchyard_scheduler_history_write_lag_seconds ${service.durability.historyLagSeconds()}`);
    lines.push("# HELP switchyard_scheduler_database_up 1 while state changes can be made durable.", "# TYPE switchyard_scheduler_database_up gauge");
    lines.push(`switchyard_scheduler_database_up ${service.durability.available() ? 1 : 0}`);
    const stats = service.durability.stats;
    if (stats) {
      lines.push("# HELP switchyard_scheduler_flushes_total Group commits written to PostgreSQL.", "# TYPE switchyard_scheduler_flushes_total counter", `switchyard_scheduler_flushes_total ${stats.flushes}`);
      lines.push("# HELP switchyard_scheduler_flush_seconds_total Time spent in group commits.", "# TYPE switchyard_scheduler_flush_seconds_total counter", `switchyard_scheduler_flush_seconds_total ${stats.seconds}`);
      lines.push("# HELP switchyard_scheduler_flush_rows_total Task and worker rows upserted.", "# TYPE switchyard_scheduler_flush_rows_total counter", `switchyard_scheduler_flush_rows_total ${stats.rows}`);
      lines.push("# HELP switchyard_scheduler_history_events_total History events written.", "# TYPE switchyard_scheduler_history_events_total counter", `switchyard_scheduler_history_events_total ${stats.events}`);
    }
    lines.push("# HELP switchyard_scheduler_rpc_duration_seconds RPC latency by method, including the durable commit.", "# TYPE switchyard_scheduler_rpc_duration_seconds histogram");
    for (const [method, h] of [...this.rpc].sort(([a], [b]) => a.localeCompare(b))) {
      BUCKETS.forEach((le, i) => lines.push(`switchyard_scheduler_rpc_duration_seconds_bucket{method="${method}",le="${le}"} ${h.counts[i]}`));
      lines.push(`switchyard_scheduler_rpc_duration_seconds_bucket{method="${method}",le="+Inf"} ${h.count}`);
      lines.push(`switchyard_scheduler_rpc_duration_seconds_sum{method="${method}"} ${h.sum}`, `switchyard_scheduler_rpc_duration_seconds_count{method="${method}"} ${h.count}`);
    }
    const mem = process.memoryUsage();
    lines.push("# HELP process_resident_memory_bytes Resident memory of the scheduler process.", "# TYPE process_resident_memory_bytes gauge", `process_resident_memory_bytes ${mem.rss}`);
    lines.push("# HELP nodejs_heap_used_bytes V8 heap in use (live objects and not yet collected garbage).", "# TYPE nodejs_heap_used_bytes gauge", `nodejs_heap_used_bytes ${mem.heapUsed}`);
    lines.push("# HELP nodejs_heap_total_bytes V8 heap reserved (in use and free).", "# TYPE nodejs_heap_total_bytes gauge", `nodejs_heap_total_bytes ${mem.heapTotal}`);
    lines.push("# HELP nodejs_external_memory_bytes Memory of Buffers and other objects outside the V8 heap.", "# TYPE nodejs_external_memory_bytes gauge", `nodejs_external_memory_bytes ${mem.external}`);
    lines.push("# HELP switchyard_scheduler_http_responses_total HTTP responses by status code.", "# TYPE switchyard_scheduler_http_responses_total counter");
    for (const [code, n] of this.responses) lines.push(`switchyard_scheduler_http_responses_total{code="${code}"} ${n}`);
    return lines.join("\n") + "\n";
  }
}
