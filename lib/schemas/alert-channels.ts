import { z } from "zod";
import { isValidTimeZone } from "@/lib/time/zoned-time";

// An alert channel's shape, the same wherever it is given: the JSON list in
// SWITCHYARD_ALERT_CHANNELS, the `channels` list of a services file, or the Channels page and
// POST /api/v1/alert-channels (stored in PostgreSQL, lib/db/alerts/channels.ts). Secrets (webhook
// URLs, signing keys, SMTP URLs with a password) never go back to a browser: see channel-secrets.ts.

export const ALERT_RULES = ["run_failed", "sla_miss", "long_running", "stuck_queue", "runner_stale", "runner_restarts", "scheduler_unreachable", "task_disabled", "channel_failing", "database_unreachable"] as const;
export const SEVERITIES = ["info", "warning", "critical"] as const;

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "a time of day as HH:MM");
export const channelName = z.string("expected a channel name").regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _");
const name = channelName;
const timeZone = z.string().refine(isValidTimeZone, "an IANA time zone such as Europe/Berlin");

// A host name (RFC 1123 labels) or an IPv4/IPv6 literal: "smtp://mail server" or "https://:443" is refused at save time.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/i;
function urlWith(protocols: string[], what: string) {
  return z.string(`expected ${what}`).trim().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return void ctx.addIssue({ code: "custom", message: `not a URL: expected ${what}` });
    }
    if (!protocols.includes(url.protocol)) return void ctx.addIssue({ code: "custom", message: `expected ${what}, not ${url.protocol}//` });
    if (!url.hostname || !HOST.test(url.hostname)) ctx.addIssue({ code: "custom", message: `"${url.hostname}" is not a valid host name` });
  });
}
export const httpUrl = urlWith(["http:", "https:"], "an http:// or https:// URL");
export const smtpUrl = urlWith(["smtp:", "smtps:"], "an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587");

/** What every channel type has besides its target: the name, filters, quiet hours, digest, paused. */
export const channelCommonFields = {
  name,
  /** only these rules; all when absent */
  rules: z.array(z.enum(ALERT_RULES)).optional(),
  /** only these services, by name or by label "key=value"; all when absent */
  services: z.array(z.string().min(1)).optional(),
  /** only these severities; all when absent */
  severities: z.array(z.enum(SEVERITIES)).optional(),
  /** local times during which only critical incidents are sent */
  quietHours: z.strictObject({ from: clock, to: clock, timeZone }).optional(),
  /** a daily digest of what is red, at this local time */
  digest: z.strictObject({ time: clock, timeZone }).optional(),
  /** a paused channel gets nothing new (its messages are recorded as skipped) */
  paused: z.boolean().optional(),
};
const filters = channelCommonFields;

// Strict: a misspelt key ("quiet_hours", "severity") is an error where the channel is given, not
// a filter or quiet hours silently missing when the page comes at 3am.
const webhookChannel = z.strictObject({ type: z.literal("webhook"), url: httpUrl, secret: z.string("expected a signing key of at least 16 characters (it signs each body: X-Switchyard-Signature)").min(16, "at least 16 characters"), ...filters });
const slackChannel = z.strictObject({ type: z.literal("slack"), url: httpUrl, ...filters });
const emailChannel = z.strictObject({
  type: z.literal("email"),
  smtpUrl,
  from: z.string("expected the sender's address").min(3, "expected the sender's address"),
  to: z.array(z.email("expected an e-mail address"), "expected a list of e-mail addresses").min(1, "expected at least one address"),
  ...filters,
});
export const CHANNEL_VARIANTS = [webhookChannel, slackChannel, emailChannel] as const;
export const CHANNEL_TYPE_ERROR = "expected type webhook, slack or email";
export const alertChannelSchema = z.discriminatedUnion("type", CHANNEL_VARIANTS, { error: CHANNEL_TYPE_ERROR });

/** Each type's own fields (its target), the rest being common: what a change of type drops. */
export const TARGET_FIELDS = { webhook: ["url", "secret"], slack: ["url"], email: ["smtpUrl", "from", "to"] } as const;

export const alertChannelsSchema = z
  .array(alertChannelSchema)
  .refine((list) => new Set(list.map((c) => c.name)).size === list.length, "channel names must be unique");

export type AlertChannel = z.infer<typeof alertChannelSchema>;

const SECRET_KEYS = ["url", "secret", "smtpUrl"];
const PLACEHOLDER = /^\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * A services file's `channels`: the file usually sits in a repository, so a secret may be written
 * `{env:NAME}` and is read from the environment of the process syncing the file (the runner at its
 * start or on SIGHUP); what is stored is the value, shown masked like any other.
 */
export const fileChannelsSchema = z
  .preprocess((value, ctx) => {
    if (!Array.isArray(value)) return value;
    const env: Record<string, string | undefined> = typeof process === "undefined" ? {} : process.env;
    return value.map((channel: unknown, i) => {
      if (!channel || typeof channel !== "object") return channel;
      const out: Record<string, unknown> = { ...channel };
      for (const key of SECRET_KEYS) {
        const match = typeof out[key] === "string" ? PLACEHOLDER.exec(out[key] as string) : null;
        if (!match) continue;
        const given = env[match[1]];
        if (given === undefined || given.trim() === "") ctx.addIssue({ code: "custom", path: [i, key], message: `the environment variable ${match[1]} is not set where the file is synced` });
        else out[key] = given.trim();
      }
      return out;
    });
  }, alertChannelsSchema)
  .default([]);

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
