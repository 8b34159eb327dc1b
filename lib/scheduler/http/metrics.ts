import { Histogram, LATENCY_BUCKETS } from "@/lib/scheduler/core/histogram";
import type { Durability, SchedulerService } from "@/lib/scheduler/service";
import type { StandbyInfo } from "@/lib/scheduler/store/warm-standby";
import { STATUSES } from "@/lib/scheduler/core/transitions";

// Prometheus text exposition for /metrics: tasks by status, workers, RPC latency histograms by
// method, group commits (size and time), restore time, active/standby role, and how far behind
// the history writes are, and how late the event loop runs. (luigid's default collector serves
// nothing.) The table of every series is in lib/scheduler/README.md. A standby answers the role
// and process lines only.

/** The event-loop probe's period: a timer this often, and how late it fired is observed. */
const LOOP_PROBE_MS = 20;

export class Metrics {
  private readonly rpc = new Map<string, Histogram>();
  private readonly responses = new Map<string, number>();
  private active = false;
  private activations = 0;
  private lastDurability: Durability | null = null;
  /** Requests this process passed to the active one while standing by (http/forward.ts). */
  forwarded = 0;
  /** A standby's copy of the state (store/warm-standby.ts), while it waits for the lock. */
  standby: () => StandbyInfo = () => null;
  /** How late a LOOP_PROBE_MS timer ran: every RPC waits behind whatever holds the loop (a 50k-task reply being encoded, a GC pause). */
  private readonly loopDelay = new Histogram(LATENCY_BUCKETS);

  /** Starts the event-loop probe (an unref'd timer); returns what stops it. */
  probeEventLoop(): () => void {
    let expected = performance.now() + LOOP_PROBE_MS;
    let timer: NodeJS.Timeout;
    const tick = () => {
      const now = performance.now();
      this.loopDelay.observe(Math.max(0, now - expected) / 1000);
      expected = now + LOOP_PROBE_MS;
      timer = setTimeout(tick, LOOP_PROBE_MS).unref();
    };
    timer = setTimeout(tick, LOOP_PROBE_MS).unref();
    return () => clearTimeout(timer);
  }

  observeRpc(method: string, seconds: number): void {
    let h = this.rpc.get(method);
    if (!h) this.rpc.set(method, (h = new Histogram(LATENCY_BUCKETS)));
    h.observe(seconds);
  }

  becameActive(durability: Durability): void {
    this.active = true;
    this.activations++;
    this.lastDurability = durability;
  }

  becameStandby(): void {
    this.active = false;
  }

  observeResponse(status: number): void {
    const key = String(status);
    this.responses.set(key, (this.responses.get(key) ?? 0) + 1);
  }

  render(service: SchedulerService | null): string {
    const lines: string[] = [];
    lines.push("# HELP switchyard_scheduler_active 1 on the active scheduler (it holds the database's lock), 0 on a standby.", "# TYPE switchyard_scheduler_active gauge");
    lines.push(`switchyard_scheduler_active ${this.active && service ? 1 : 0}`);
    lines.push("# HELP switchyard_scheduler_activations_total Times this process became the active scheduler.", "# TYPE switchyard_scheduler_activations_total counter", `switchyard_scheduler_activations_total ${this.activations}`);
    const restore = this.lastDurability?.stats;
    if (restore) {
      lines.push("# HELP switchyard_scheduler_restore_seconds Time the last activation took to read the state back from PostgreSQL.", "# TYPE switchyard_scheduler_restore_seconds gauge", `switchyard_scheduler_restore_seconds ${restore.restoreSeconds}`);
      lines.push("# HELP switchyard_scheduler_restored_tasks Tasks read back at the last activation.", "# TYPE switchyard_scheduler_restored_tasks gauge", `switchyard_scheduler_restored_tasks ${restore.restoredTasks}`);
      lines.push("# HELP switchyard_scheduler_restored_warm 1 if the last activation laid the journal over this standby's copy of the state, 0 if it read every row.", "# TYPE switchyard_scheduler_restored_warm gauge", `switchyard_scheduler_restored_warm ${restore.restoredWarm}`);
    }
    lines.push("# HELP switchyard_scheduler_forwarded_total Requests this process forwarded to the active scheduler while standing by.", "# TYPE switchyard_scheduler_forwarded_total counter", `switchyard_scheduler_forwarded_total ${this.forwarded}`);
    if (!(this.active && service)) {
      const copy = this.standby();
      lines.push("# HELP switchyard_scheduler_standby_tasks Tasks in a standby's copy of the state (0: none yet; a takeover then reads every row).", "# TYPE switchyard_scheduler_standby_tasks gauge", `switchyard_scheduler_standby_tasks ${copy?.tasks ?? 0}`);
      if (copy) lines.push("# HELP switchyard_scheduler_standby_lag_seconds Seconds since a standby last brought its copy up to date with the journal.", "# TYPE switchyard_scheduler_standby_lag_seconds gauge", `switchyard_scheduler_standby_lag_seconds ${Math.max(0, (Date.now() - copy.refreshedAt) / 1000).toFixed(3)}`);
    }
    if (service) this.renderActive(service, lines);
    this.renderProcess(lines);
    return lines.join("\n") + "\n";
  }

  private renderActive(service: SchedulerService, lines: string[]): void {
    const { state } = service.scheduler;
    lines.push("# HELP switchyard_scheduler_tasks Tasks held by the scheduler, by status.", "# TYPE switchyard_scheduler_tasks gauge");
    for (const s of STATUSES) lines.push(`switchyard_scheduler_tasks{status="${s}"} ${state.count(s)}`);
    let active = 0;
    let disabled = 0;
    let alive = 0;
    const since = service.scheduler.now() - service.scheduler.config.workerDisconnectDelay;
    for (const w of state.workers.values()) {
      if (w.disabled) disabled++;
      else active++;
      if (w.lastActive >= since) alive++;
    }
    lines.push("# HELP switchyard_scheduler_workers Workers known to the scheduler, by state.", "# TYPE switchyard_scheduler_workers gauge");
    lines.push(`switchyard_scheduler_workers{state="active"} ${active}`, `switchyard_scheduler_workers{state="disabled"} ${disabled}`);
    lines.push("# HELP switchyard_scheduler_workers_alive Workers heard from within worker_disconnect_delay.", "# TYPE switchyard_scheduler_workers_alive gauge", `switchyard_scheduler_workers_alive ${alive}`);
    lines.push("# HELP switchyard_scheduler_paused 1 while the scheduler is paused.", "# TYPE switchyard_scheduler_paused gauge");
    lines.push(`switchyard_scheduler_paused ${service.scheduler.paused ? 1 : 0}`);
    lines.push("# HELP switchyard_scheduler_history_write_lag_seconds Age of the oldest history event not yet written.", "# TYPE switchyard_scheduler_history_write_lag_seconds gauge");
    lines.push(`switchyard_scheduler_history_write_lag_seconds ${service.durability.historyLagSeconds()}`);
    lines.push("# HELP switchyard_scheduler_database_up 1 while state changes can be made durable.", "# TYPE switchyard_scheduler_database_up gauge");
    lines.push(`switchyard_scheduler_database_up ${service.durability.available() ? 1 : 0}`);
    const stats = service.durability.stats;
    if (stats) {
      lines.push("# HELP switchyard_scheduler_flushes_total Group commits (journal rows) written to PostgreSQL.", "# TYPE switchyard_scheduler_flushes_total counter", `switchyard_scheduler_flushes_total ${stats.flushes}`);
      lines.push("# HELP switchyard_scheduler_flush_seconds_total Time spent in group commits.", "# TYPE switchyard_scheduler_flush_seconds_total counter", `switchyard_scheduler_flush_seconds_total ${stats.seconds}`);
      lines.push("# HELP switchyard_scheduler_flush_rows_total Task and worker rows upserted by checkpoints.", "# TYPE switchyard_scheduler_flush_rows_total counter", `switchyard_scheduler_flush_rows_total ${stats.rows}`);
      lines.push("# HELP switchyard_scheduler_history_events_total History events written by checkpoints.", "# TYPE switchyard_scheduler_history_events_total counter", `switchyard_scheduler_history_events_total ${stats.events}`);
      lines.push("# HELP switchyard_scheduler_commit_seconds Time of one group commit (the insert of its journal row).", "# TYPE switchyard_scheduler_commit_seconds histogram", ...stats.commitSeconds.lines("switchyard_scheduler_commit_seconds"));
      lines.push("# HELP switchyard_scheduler_checkpoints_total Checkpoints: journaled changes written into the state tables and the history.", "# TYPE switchyard_scheduler_checkpoints_total counter", `switchyard_scheduler_checkpoints_total ${stats.checkpoints}`);
      lines.push("# HELP switchyard_scheduler_checkpoint_seconds_total Time spent in checkpoints.", "# TYPE switchyard_scheduler_checkpoint_seconds_total counter", `switchyard_scheduler_checkpoint_seconds_total ${stats.checkpointSeconds}`);
      lines.push("# HELP switchyard_scheduler_commit_rpcs RPCs acknowledged by one group commit.", "# TYPE switchyard_scheduler_commit_rpcs histogram", ...stats.commitRpcs.lines("switchyard_scheduler_commit_rpcs"));
    }
    lines.push("# HELP switchyard_scheduler_rpc_duration_seconds RPC latency by method, including the durable commit.", "# TYPE switchyard_scheduler_rpc_duration_seconds histogram");
    for (const [method, h] of [...this.rpc].sort(([a], [b]) => a.localeCompare(b))) lines.push(...h.lines("switchyard_scheduler_rpc_duration_seconds", `method="${method}"`));
  }

  private renderProcess(lines: string[]): void {
    const mem = process.memoryUsage();
    lines.push("# HELP process_resident_memory_bytes Resident memory of the scheduler process.", "# TYPE process_resident_memory_bytes gauge", `process_resident_memory_bytes ${mem.rss}`);
    lines.push("# HELP nodejs_heap_used_bytes V8 heap in use (live objects and not yet collected garbage).", "# TYPE nodejs_heap_used_bytes gauge", `nodejs_heap_used_bytes ${mem.heapUsed}`);
    lines.push("# HELP nodejs_heap_total_bytes V8 heap reserved (in use and free).", "# TYPE nodejs_heap_total_bytes gauge", `nodejs_heap_total_bytes ${mem.heapTotal}`);
    lines.push("# HELP nodejs_external_memory_bytes Memory of Buffers and other objects outside the V8 heap.", "# TYPE nodejs_external_memory_bytes gauge", `nodejs_external_memory_bytes ${mem.external}`);
    lines.push("# HELP switchyard_scheduler_event_loop_delay_seconds How late the event loop ran a timer due every 20 ms (time every call waited behind other work).", "# TYPE switchyard_scheduler_event_loop_delay_seconds histogram");
    lines.push(...this.loopDelay.lines("switchyard_scheduler_event_loop_delay_seconds"));
    lines.push("# HELP switchyard_scheduler_http_responses_total HTTP responses by status code.", "# TYPE switchyard_scheduler_http_responses_total counter");
    for (const [code, n] of this.responses) lines.push(`switchyard_scheduler_http_responses_total{code="${code}"} ${n}`);
  }
}
