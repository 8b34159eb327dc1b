import type pg from "pg";
import type { AccountDay, DailyMetrics, MinuteRollup } from "./analytics";

// The demo's tables live in their own `demo` schema, created by the pipeline itself (never by the
// project's migrations). Loads replace a period's rows inside the marker target's transaction.

export const MARKER_TABLE = "demo.table_updates";

export const demoDdl = [
  // Created only when missing: `switchyard start` makes it for the demo role, which may not create schemas.
  "DO $$ BEGIN IF to_regnamespace('demo') IS NULL THEN CREATE SCHEMA demo; END IF; END $$",
  `CREATE TABLE IF NOT EXISTS demo.account_daily (
     service_id TEXT NOT NULL, day DATE NOT NULL, account_id TEXT NOT NULL,
     users INT NOT NULL, sessions INT NOT NULL, events INT NOT NULL, purchases INT NOT NULL,
     revenue_cents BIGINT NOT NULL, avg_session_seconds REAL NOT NULL, conversion_rate REAL NOT NULL, errors INT NOT NULL,
     loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     PRIMARY KEY (service_id, day, account_id))`,
  `CREATE TABLE IF NOT EXISTS demo.service_daily_metrics (
     service_id TEXT NOT NULL, day DATE NOT NULL,
     events INT NOT NULL, users INT NOT NULL, accounts INT NOT NULL, sessions INT NOT NULL, revenue_cents BIGINT NOT NULL,
     session_p50_s REAL NOT NULL, session_p90_s REAL NOT NULL, session_p99_s REAL NOT NULL,
     bounce_rate REAL NOT NULL, conversion_rate REAL NOT NULL, error_rate REAL NOT NULL, events_by_type JSONB NOT NULL,
     loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     PRIMARY KEY (service_id, day))`,
  `CREATE TABLE IF NOT EXISTS demo.hourly_rollups (
     service_id TEXT NOT NULL, hour_start TIMESTAMPTZ NOT NULL, minute SMALLINT NOT NULL,
     events INT NOT NULL, users INT NOT NULL, purchases INT NOT NULL, revenue_cents BIGINT NOT NULL, errors INT NOT NULL,
     PRIMARY KEY (service_id, hour_start, minute))`,
];

export async function loadAccountDaily(c: pg.PoolClient, service: string, day: string, rows: AccountDay[]): Promise<number> {
  await c.query("DELETE FROM demo.account_daily WHERE service_id = $1 AND day = $2", [service, day]);
  const r = await c.query(
    `INSERT INTO demo.account_daily (service_id, day, account_id, users, sessions, events, purchases, revenue_cents, avg_session_seconds, conversion_rate, errors)
     SELECT $1, $2::date, * FROM unnest($3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bigint[], $9::real[], $10::real[], $11::int[])`,
    [
      service,
      day,
      rows.map((r) => r.account),
      rows.map((r) => r.users),
      rows.map((r) => r.sessions),
      rows.map((r) => r.events),
      rows.map((r) => r.purchases),
      rows.map((r) => r.revenueCents),
      rows.map((r) => r.avgSessionSeconds),
      rows.map((r) => r.conversionRate),
      rows.map((r) => r.errors),
    ],
  );
  return r.rowCount ?? 0;
}

export async function loadServiceMetrics(c: pg.PoolClient, service: string, day: string, m: DailyMetrics): Promise<void> {
  await c.query(
    `INSERT INTO demo.service_daily_metrics (service_id, day, events, users, accounts, sessions, revenue_cents, session_p50_s, session_p90_s, session_p99_s, bounce_rate, conversion_rate, error_rate, events_by_type)
     VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (service_id, day) DO UPDATE SET events = EXCLUDED.events, users = EXCLUDED.users, accounts = EXCLUDED.accounts, sessions = EXCLUDED.sessions,
       revenue_cents = EXCLUDED.revenue_cents, session_p50_s = EXCLUDED.session_p50_s, session_p90_s = EXCLUDED.session_p90_s, session_p99_s = EXCLUDED.session_p99_s,
       bounce_rate = EXCLUDED.bounce_rate, conversion_rate = EXCLUDED.conversion_rate, error_rate = EXCLUDED.error_rate, events_by_type = EXCLUDED.events_by_type, loaded_at = now()`,
    [service, day, m.events, m.users, m.accounts, m.sessions, m.revenueCents, m.sessionSeconds.p50, m.sessionSeconds.p90, m.sessionSeconds.p99, m.bounceRate, m.conversionRate, m.errorRate, JSON.stringify(m.eventsByType)],
  );
}

export async function loadHourlyRollup(c: pg.PoolClient, service: string, hourStart: Date, rows: MinuteRollup[]): Promise<number> {
  await c.query("DELETE FROM demo.hourly_rollups WHERE service_id = $1 AND hour_start = $2", [service, hourStart]);
  const r = await c.query(
    `INSERT INTO demo.hourly_rollups (service_id, hour_start, minute, events, users, purchases, revenue_cents, errors)
     SELECT $1, $2::timestamptz, * FROM unnest($3::smallint[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[])`,
    [service, hourStart, rows.map((r) => r.minute), rows.map((r) => r.events), rows.map((r) => r.users), rows.map((r) => r.purchases), rows.map((r) => r.revenueCents), rows.map((r) => r.errors)],
  );
  return r.rowCount ?? 0;
}

export type MetricsHistoryRow = { day: string; events: number; revenue_cents: number; sessions: number; conversion_rate: number };

/** The service's loaded metrics for the days before `day` (for the report's trend). */
export async function metricsHistory(pool: pg.Pool, service: string, day: string, days = 14): Promise<MetricsHistoryRow[]> {
  const r = await pool.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, events, revenue_cents, sessions, conversion_rate
       FROM demo.service_daily_metrics WHERE service_id = $1 AND day < $2::date AND day >= $2::date - $3::int ORDER BY day`,
    [service, day, days],
  );
  return r.rows as MetricsHistoryRow[];
}
