import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";

// Rows for presenter tests, written with plain SQL into a test database (createTestDatabase):
// the same tables the runner and the scheduler write, nothing mocked.

export type SeedService = {
  name: string;
  timeZone?: string;
  dailyTime?: string;
  hourlyEnabled?: boolean;
  hourlyMinute?: number;
  expectedDoneBy?: string | null;
  enabled?: boolean;
  paused?: boolean;
  labels?: Record<string, string>;
  createdAt?: string;
};

export async function seedService(pool: pg.Pool, s: SeedService): Promise<number> {
  const r = await pool.query<{ id: number }>(
    `INSERT INTO services (name, display_name, time_zone, daily_time, hourly_enabled, hourly_minute, expected_done_by,
                           enabled, paused, labels, daily_command, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'true', $11) RETURNING id`,
    [
      s.name,
      s.name.replace(/-/g, " "),
      s.timeZone ?? "UTC",
      s.dailyTime ?? "02:00",
      s.hourlyEnabled ?? false,
      s.hourlyMinute ?? 5,
      s.expectedDoneBy ?? null,
      s.enabled ?? true,
      s.paused ?? false,
      JSON.stringify(s.labels ?? {}),
      s.createdAt ?? "2020-01-01T00:00:00Z",
    ],
  );
  return r.rows[0].id;
}

export type SeedRun = {
  serviceId: number;
  date: string;
  status: RunStatus;
  kind?: "daily" | "hourly";
  hour?: number;
  attempt?: number;
  trigger?: "scheduled" | "manual" | "retry" | "backfill";
  queuedAt?: string;
  startedAt?: string | null;
  lastUpdateAt?: string | null;
  finishedAt?: string | null;
  rootTaskId?: string | null;
  host?: string | null;
  pid?: number | null;
  error?: string | null;
  logPath?: string | null;
  requestedBy?: string | null;
  reason?: string | null;
};

export async function seedRun(pool: pg.Pool, run: SeedRun): Promise<number> {
  const kind = run.kind ?? "daily";
  const attempt = run.attempt ?? 1;
  const r = await pool.query<{ id: string }>(
    `INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, attempt, trigger, status, queued_at, not_before,
                       started_at, last_update_at, finished_at, root_task_id, host, pid, error, log_path, requested_by, reason)
     SELECT s.id, $2::run_kind, (($3::date + make_interval(hours => coalesce($4::int, 0)))::timestamp AT TIME ZONE s.time_zone),
            $3::date, $4, $5, $6::run_trigger, $7::run_status, $8::timestamptz, $8::timestamptz, $9::timestamptz,
            coalesce($10::timestamptz, $11::timestamptz, $9::timestamptz), $11::timestamptz, $12, $13, $14, $15, $16, $17, $18
       FROM services s WHERE s.id = $1
     RETURNING id`,
    [
      run.serviceId,
      kind,
      run.date,
      kind === "hourly" ? (run.hour ?? 0) : null,
      attempt,
      run.trigger ?? (attempt > 1 ? "retry" : "scheduled"),
      run.status,
      run.queuedAt ?? run.startedAt ?? new Date().toISOString(),
      run.startedAt ?? null,
      run.lastUpdateAt ?? null,
      run.finishedAt ?? null,
      run.rootTaskId ?? null,
      run.host ?? null,
      run.pid ?? null,
      run.error ?? null,
      run.logPath ?? null,
      run.requestedBy ?? null,
      run.reason ?? null,
    ],
  );
  return Number(r.rows[0].id);
}

export type SeedTask = {
  taskId: string;
  family: string;
  host?: string | null;
  params?: Record<string, string>;
  /** [event name, UTC timestamp "YYYY-MM-DD HH:MM:SS"] in the order they happened */
  events?: Array<[string, string]>;
};

/** A Luigi history task row with its parameters and events, as the scheduler writes them. */
export async function seedTask(pool: pg.Pool, task: SeedTask): Promise<number> {
  // the history is partitioned by month: a task row and its parameters go to its first event's month
  const month = await pool.query<{ m: string }>("SELECT coalesce(date_trunc('month', $1::timestamp), date_trunc('month', localtimestamp))::date::text AS m", [
    task.events?.[0]?.[1] ?? null,
  ]);
  const r = await pool.query<{ id: number }>("INSERT INTO tasks (task_id, name, host, history_month) VALUES ($1, $2, $3, $4) RETURNING id", [
    task.taskId,
    task.family,
    task.host ?? null,
    month.rows[0].m,
  ]);
  const id = r.rows[0].id;
  const params = Object.entries(task.params ?? {});
  if (params.length > 0) {
    await pool.query("INSERT INTO task_parameters (task_id, name, value, history_month) SELECT $1, n, v, $4 FROM unnest($2::text[], $3::text[]) AS p(n, v)", [
      id,
      params.map(([n]) => n),
      params.map(([, v]) => v),
      month.rows[0].m,
    ]);
  }
  for (const [name, ts] of task.events ?? []) {
    await pool.query("INSERT INTO task_events (task_id, event_name, ts) VALUES ($1, $2, $3)", [id, name, ts]);
  }
  return id;
}

export async function seedHostSample(pool: pg.Pool, host: string, at: string, cpuPercent: number, memoryUsedBytes: number): Promise<void> {
  await pool.query(
    `WITH h AS (INSERT INTO hosts (name, cpu_count, memory_total_bytes) VALUES ($1, 4, 8000000000)
                ON CONFLICT (name) DO UPDATE SET last_seen_at = excluded.last_seen_at RETURNING id)
     INSERT INTO host_samples (host_id, at, cpu_percent, memory_used_bytes, memory_total_bytes, load1, load5, load15)
     SELECT id, $2, $3, $4, 8000000000, 1, 1, 1 FROM h`,
    [host, at, cpuPercent, memoryUsedBytes],
  );
}
