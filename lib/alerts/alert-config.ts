import { z } from "zod";
import { defaultAlertSettings, type AlertSettings } from "@/lib/alerts/evaluate";
import type { Logger } from "@/lib/log/logger";
import { AlertConfigError, parseAlertChannels } from "@/lib/schemas/alert-channels";

// The alert loop's settings from the environment, checked at start: a typo fails the runner's
// start with the variable's name, not the first incident at 3am.

/** How long the delivery log keeps a settled message by default (SWITCHYARD_ALERT_DELIVERY_DAYS). */
export const DELIVERY_DAYS = 90;

/**
 * How long a resolved incident is kept by default (SWITCHYARD_INCIDENT_DAYS; 0 keeps all). At
 * least a week otherwise: the rules look a few days back, and an incident deleted while its rule
 * could still fire would open again as new.
 */
export const INCIDENT_DAYS = 365;
const INCIDENT_DAYS_MIN = 7;

/** A number from the environment with one message that says the unit and the range. */
function between(what: string, min: number, max: number, whole = true) {
  const expected = { message: `expected ${whole ? "a whole number" : "a number"} of ${what} from ${min} to ${max}`, abort: true };
  const n = z.coerce.number(expected).min(min, expected).max(max, expected);
  return whole ? n.int(expected) : n;
}

const envSchema = z.object({
  SWITCHYARD_PUBLIC_URL: z.url("expected the dashboard's address, such as https://switchyard.example.com").optional(),
  SWITCHYARD_ALERT_LONG_RUN_FACTOR: between("times the usual duration", 1, 100, false).default(defaultAlertSettings.longRunningFactor),
  SWITCHYARD_ALERT_LONG_RUN_MIN_OVER_MINUTES: between("minutes", 0, 1440, false).default(defaultAlertSettings.longRunningMinOverMinutes),
  SWITCHYARD_ALERT_STUCK_QUEUE_MINUTES: between("minutes", 1, 10_080).default(defaultAlertSettings.stuckQueueMinutes),
  SWITCHYARD_ALERT_RUNNER_STALE_SECONDS: between("seconds", 5, 86_400).default(defaultAlertSettings.runnerStaleSeconds),
  SWITCHYARD_ALERT_SCHEDULER_UNREACHABLE_SECONDS: between("seconds", 5, 86_400).default(defaultAlertSettings.schedulerUnreachableSeconds),
  SWITCHYARD_ALERT_TICK_SECONDS: between("seconds", 1, 15, false).default(10),
  SWITCHYARD_ALERT_DATABASE_DOWN_SECONDS: between("seconds", 1, 86_400).default(120),
  SWITCHYARD_ALERT_DELIVERY_DAYS: z.coerce
    .number("expected a whole number of days, at least 1")
    .int("expected a whole number of days, at least 1")
    .min(1, "expected a whole number of days, at least 1")
    .max(36500, "expected at most 36500 days")
    .default(DELIVERY_DAYS),
  SWITCHYARD_INCIDENT_DAYS: z.coerce
    .number(`expected 0 (keep every incident) or a whole number of days, at least ${INCIDENT_DAYS_MIN}`)
    .int(`expected 0 (keep every incident) or a whole number of days, at least ${INCIDENT_DAYS_MIN}`)
    .refine((n) => n === 0 || n >= INCIDENT_DAYS_MIN, `expected 0 (keep every incident) or a whole number of days, at least ${INCIDENT_DAYS_MIN}`)
    .refine((n) => n <= 36500, "expected at most 36500 days")
    .default(INCIDENT_DAYS),
});

/**
 * databaseDownSeconds: how long the database may be unreachable before the alert loop holding the
 * watch tells its channels directly (database-down.ts); deliveryDays: how long the delivery log
 * keeps a settled message (pruneDeliveries); incidentDays: how long a resolved incident is kept,
 * 0 for ever (pruneIncidents).
 */
export type AlertConfig = AlertSettings & { tickSeconds: number; databaseDownSeconds: number; deliveryDays?: number; incidentDays?: number };

export function loadAlertConfig(env: Record<string, string | undefined> = process.env): AlertConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) throw new AlertConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message} (got ${JSON.stringify(input[String(i.path[0])])})`).join("; "));
  const e = parsed.data;
  return {
    ...defaultAlertSettings,
    channels: parseAlertChannels(env.SWITCHYARD_ALERT_CHANNELS),
    publicUrl: e.SWITCHYARD_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT || "3000"}`,
    longRunningFactor: e.SWITCHYARD_ALERT_LONG_RUN_FACTOR,
    longRunningMinOverMinutes: e.SWITCHYARD_ALERT_LONG_RUN_MIN_OVER_MINUTES,
    stuckQueueMinutes: e.SWITCHYARD_ALERT_STUCK_QUEUE_MINUTES,
    runnerStaleSeconds: e.SWITCHYARD_ALERT_RUNNER_STALE_SECONDS,
    schedulerUnreachableSeconds: e.SWITCHYARD_ALERT_SCHEDULER_UNREACHABLE_SECONDS,
    tickSeconds: e.SWITCHYARD_ALERT_TICK_SECONDS,
    databaseDownSeconds: e.SWITCHYARD_ALERT_DATABASE_DOWN_SECONDS,
    deliveryDays: e.SWITCHYARD_ALERT_DELIVERY_DAYS,
    incidentDays: e.SWITCHYARD_INCIDENT_DAYS,
  };
}

/** For a process's start (runner, web): the settings, or null after logging what is wrong with them. */
export function loadAlertConfigOrLog(logger: Logger): AlertConfig | null {
  try {
    return loadAlertConfig();
  } catch (error) {
    logger.error((error as Error).message);
    return null;
  }
}
