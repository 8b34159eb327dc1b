import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMetricsRegistry, renderMetrics } from "@/lib/alerts/metrics";
import { repoRoot } from "@/lib/paths";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The fleet metrics from a real database, and the Grafana dashboard in docs/ against the names the
// registry really exports (a renamed metric breaks this test, not a dashboard at 3am).

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const s = await db.pool.query("INSERT INTO services (name, display_name, daily_command) VALUES ('m', 'm', 'true') RETURNING id");
  await db.pool.query(
    `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, queued_at, not_before, started_at, finished_at)
     VALUES ($1, 'daily', current_date, current_date, 'manual', 'done', now(), now(), now() - interval '200 seconds', now()),
            ($1, 'daily', current_date - 1, current_date - 1, 'manual', 'failed', now(), now(), now() - interval '2000 seconds', now())`,
    [s.rows[0].id],
  );
  await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
  await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) VALUES ('r1', 1, 42, now() - interval '30 seconds')");
  await db.pool.query("INSERT INTO runner_scheduler_contact (runner_id, ok_at, error_at, error) VALUES ('r1', now() - interval '1 minute', now(), 'ECONNREFUSED')");
  await db.pool.query(
    `INSERT INTO host_samples (host_id, cpu_percent, memory_used_bytes, memory_total_bytes, load1, load5, load15)
     VALUES (1, 12.5, 1000, 4000, 0, 0, 0), (1, 80, 3000, 4000, 0, 0, 0)`,
  );
  await db.pool.query("UPDATE host_samples SET at = now() - interval '1 minute' WHERE cpu_percent = 12.5");
  await db.pool.query("INSERT INTO alert_incidents (key, rule, severity, summary, opened_at) VALUES ('sla_miss:1', 'sla_miss', 'critical', 'x', now())");
});
afterAll(async () => {
  await db.drop();
});

describe("fleet metrics", () => {
  it("exports run durations, SLA misses, runner heartbeats and host CPU and memory with HELP text", async () => {
    const { body } = await renderMetrics(db.pool);
    expect(body).toContain("# HELP switchyard_run_duration_seconds Duration of finished runs");
    expect(body).toContain("# TYPE switchyard_run_duration_seconds histogram");
    expect(body).toContain('switchyard_run_duration_seconds_bucket{kind="daily",le="60"} 0');
    expect(body).toContain('switchyard_run_duration_seconds_bucket{kind="daily",le="300"} 1');
    expect(body).toContain('switchyard_run_duration_seconds_bucket{kind="daily",le="1800"} 1');
    expect(body).toContain('switchyard_run_duration_seconds_bucket{kind="daily",le="3600"} 2');
    expect(body).toContain('switchyard_run_duration_seconds_bucket{kind="daily",le="+Inf"} 2');
    expect(body).toContain('switchyard_run_duration_seconds_count{kind="daily"} 2');
    expect(body).toContain("switchyard_sla_misses_open 1");
    expect(body).toContain('switchyard_incidents_open{rule="task_disabled"} 0');
    expect(Number(/^switchyard_runner_heartbeat_age_seconds\{runner="r1",host="h1"\} (\S+)$/m.exec(body)![1])).toBeGreaterThanOrEqual(29);
    expect(body).toContain('switchyard_runner_scheduler_reachable{runner="r1"} 0');
    expect(body).toContain('switchyard_host_cpu_percent{host="h1"} 80'); // the latest sample
    expect(body).toContain('switchyard_host_memory_used_bytes{host="h1"} 3000');
    expect(body).toContain('switchyard_host_memory_total_bytes{host="h1"} 4000');
  });

  it("the Grafana dashboard in docs/ is valid JSON whose every expression names exported metrics", async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(repoRoot, "docs/grafana/switchyard.json"), "utf8"));
    const exported = new Set<string>();
    for (const m of await (await buildMetricsRegistry(db.pool)).getMetricsAsJSON()) {
      exported.add(m.name);
      if (String(m.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) exported.add(m.name + suffix);
    }
    const exprs: string[] = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      const names = expr.match(/\bswitchyard_[a-z_]+/g) ?? [];
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${name} in "${expr}"`).toBe(true);
    }
    const docs = fs.readFileSync(path.join(repoRoot, "docs/METRICS.md"), "utf8");
    for (const name of (await (await buildMetricsRegistry(db.pool)).getMetricsAsJSON()).map((m) => m.name)) expect(docs, name).toContain(`\`${name}\``);
  });
});
