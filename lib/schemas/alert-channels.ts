import { z } from "zod";
import { isValidTimeZone } from "@/lib/time/zoned-time";

// The alert channels, given as a JSON list in SWITCHYARD_ALERT_CHANNELS. Secrets (webhook URLs,
// signing keys, SMTP passwords) live only in the environment of the runner and the web app, never
// in the database, so no page can show them.

export const ALERT_RULES = ["run_failed", "sla_miss", "long_running", "stuck_queue", "runner_stale"] as const;
export const SEVERITIES = ["info", "warning", "critical"] as const;

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "a time of day as HH:MM");
const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _");

const filters = {
  name,
  /** only these rules; all when absent */
  rules: z.array(z.enum(ALERT_RULES)).optional(),
  /** only these services, by name or by label "key=value"; all when absent */
  services: z.array(z.string().min(1)).optional(),
  /** only these severities; all when absent */
  severities: z.array(z.enum(SEVERITIES)).optional(),
  /** local times during which only critical incidents are sent */
  quietHours: z
    .object({ from: clock, to: clock, timeZone: z.string().refine(isValidTimeZone, "an IANA time zone such as Europe/Berlin") })
    .optional(),
};

export const alertChannelSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), url: z.url(), secret: z.string().min(16, "at least 16 characters"), ...filters }),
  z.object({ type: z.literal("slack"), url: z.url(), ...filters }),
  z.object({
    type: z.literal("email"),
    smtpUrl: z.url().refine((u) => /^smtps?:\/\//.test(u), "an smtp:// or smtps:// URL"),
    from: z.string().min(3),
    to: z.array(z.email()).min(1),
    ...filters,
  }),
]);

export const alertChannelsSchema = z
  .array(alertChannelSchema)
  .refine((list) => new Set(list.map((c) => c.name)).size === list.length, "channel names must be unique");

export type AlertChannel = z.infer<typeof alertChannelSchema>;

export class AlertConfigError extends Error {}

/** The channels from the environment; throws AlertConfigError with every problem spelled out. */
export function parseAlertChannels(text: string | undefined): AlertChannel[] {
  if (!text || text.trim() === "") return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AlertConfigError(`SWITCHYARD_ALERT_CHANNELS is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = alertChannelsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(list)"}: ${i.message}`);
    throw new AlertConfigError(`SWITCHYARD_ALERT_CHANNELS: ${problems.join("; ")}`);
  }
  return parsed.data;
}
