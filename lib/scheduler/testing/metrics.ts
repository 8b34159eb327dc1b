// Reads one series of the scheduler's /metrics text (Prometheus exposition), as tests and the
// bench do: `metricValue(text, 'switchyard_scheduler_flushes_total')`, or with labels,
// `metricValue(text, 'x_bucket{le="0.1"}')`. NaN when the series is absent.

export function metricValue(text: string, series: string): number {
  return Number(new RegExp(`^${series.replace(/[{}+.]/g, "\\$&")} (\\S+)`, "m").exec(text)?.[1] ?? NaN);
}
