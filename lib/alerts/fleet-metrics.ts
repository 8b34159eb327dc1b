import { Gauge, type Metric, type Registry } from "prom-client";
import { RUN_DURATION_BUCKETS, type FleetMetrics } from "@/lib/db/alerts/read-fleet-metrics";

// Run durations, SLA misses, runners and hosts for /metrics (names in docs/METRICS.md). Values
// are read fresh from PostgreSQL at each scrape, so the duration histogram is a snapshot of the
// runs of yesterday's and today's periods (use histogram_quantile without rate()).

export function addFleetMetrics(registry: Registry, m: FleetMetrics): void {
  registry.registerMetric(durationHistogram(m.durations));
  new Gauge({ name: "switchyard_sla_misses_open", help: "Daily periods past their service's expectedDoneBy and not done (open sla_miss incidents)", registers: [registry] }).set(m.slaMissesOpen);
  new Gauge({ name: "switchyard_sla_misses_last_day", help: "SLA misses opened in the last 24 hours", registers: [registry] }).set(m.slaMissesLastDay);
  const age = new Gauge({ name: "switchyard_runner_heartbeat_age_seconds", help: "Seconds since each live runner's last heartbeat", labelNames: ["runner", "host"], registers: [registry] });
  const reach = new Gauge({ name: "switchyard_runner_scheduler_reachable", help: "1 when the runner's last probe of the scheduler succeeded, 0 when it failed", labelNames: ["runner"], registers: [registry] });
  for (const r of m.runners) {
    age.set({ runner: r.runner, host: r.host }, r.heartbeatAgeSeconds);
    if (r.schedulerReachable !== null) reach.set({ runner: r.runner }, r.schedulerReachable ? 1 : 0);
  }
  const cpu = new Gauge({ name: "switchyard_host_cpu_percent", help: "CPU use of each runner host in its latest sample (0-100)", labelNames: ["host"], registers: [registry] });
  const used = new Gauge({ name: "switchyard_host_memory_used_bytes", help: "Memory in use on each runner host in its latest sample", labelNames: ["host"], registers: [registry] });
  const total = new Gauge({ name: "switchyard_host_memory_total_bytes", help: "Total memory of each runner host", labelNames: ["host"], registers: [registry] });
  for (const h of m.hosts) {
    cpu.set({ host: h.host }, h.cpuPercent);
    used.set({ host: h.host }, Number(h.memoryUsedBytes));
    total.set({ host: h.host }, Number(h.memoryTotalBytes));
  }
}

const DURATION = "switchyard_run_duration_seconds";

/** prom-client's Histogram only counts what it observes itself: this one is built from SQL counts. */
function durationHistogram(rows: FleetMetrics["durations"]): Metric {
  const help = "Duration of finished runs (done or failed) of yesterday's and today's periods, by kind";
  const get = async () => ({
    name: DURATION,
    help,
    type: "histogram",
    aggregator: "sum",
    values: rows.flatMap((r) => [
      ...RUN_DURATION_BUCKETS.map((le, i) => ({ metricName: `${DURATION}_bucket`, labels: { kind: r.kind, le }, value: r.buckets[i] ?? 0 })),
      { metricName: `${DURATION}_bucket`, labels: { kind: r.kind, le: "+Inf" }, value: r.count },
      { metricName: `${DURATION}_sum`, labels: { kind: r.kind }, value: r.sum },
      { metricName: `${DURATION}_count`, labels: { kind: r.kind }, value: r.count },
    ]),
  });
  return { name: DURATION, help, get } as unknown as Metric;
}
