import nodemailer, { type SendMailOptions } from "nodemailer";
import type { AlertPayload } from "@/lib/alerts/enqueue";
import { isDigestPayload, type DigestPayload } from "@/lib/alerts/channels/digest";
import { emailDigest, slackDigest } from "@/lib/alerts/channels/format-digest";
import type { LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { emailMessage, signWebhook, slackMessage } from "@/lib/alerts/format-message";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// Sends one message to one channel; throws with a message fit for the delivery log on failure.
// Every request carries the message's idempotency key, so a receiver can drop the repeat that a
// sender crashing between "sent" and "recorded" can cause.

const TIMEOUT_MS = 10_000;

/** A failed send; retryAfterMs: how long the receiver asked us to wait (Slack's 429 rate limit, a 503), when it said. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function retryAfterOf(header: string | null, now: Date): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** An incident message, or a daily digest / test send (lib/alerts/channels/digest.ts). */
export type ChannelPayload = AlertPayload | DigestPayload;

export async function sendToChannel(channel: LoadedChannel, payload: ChannelPayload, now: Date): Promise<void> {
  // stored secrets sealed under another key: the reason goes to the delivery log, where the admin looks
  if (channel.secretsError) throw new Error(`channel "${channel.name}": ${channel.secretsError}`);
  if (channel.type === "email") return sendEmail(channel, payload);
  const slack = (p: ChannelPayload) => (isDigestPayload(p) ? slackDigest(p) : slackMessage(p));
  const body = JSON.stringify(channel.type === "slack" ? slack(payload) : payload);
  const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": payload.idempotencyKey };
  if (channel.type === "webhook") {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    headers["x-switchyard-timestamp"] = timestamp;
    headers["x-switchyard-signature"] = signWebhook(channel.secret, timestamp, body);
  }
  let response: Response;
  try {
    response = await fetch(channel.url, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "error" });
  } catch (error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS name not found, a timeout)
    const cause = (error as Error & { cause?: Error }).cause;
    throw new Error(`${channel.type} ${new URL(channel.url).host}: ${(error as Error).message}${cause?.message ? ` (${cause.message})` : ""}`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => "")).slice(0, 200);
    const retryAfterMs = response.status === 429 || response.status === 503 ? retryAfterOf(response.headers.get("retry-after"), now) : null;
    const wait = retryAfterMs === null ? "" : ` (it asks to retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    throw new DeliveryError(`${channel.type} ${new URL(channel.url).host} answered ${response.status}${text ? `: ${text}` : ""}${wait}`, retryAfterMs);
  }
  await response.arrayBuffer().catch(() => {});
}

type EmailChannel = Extract<AlertChannel, { type: "email" }>;

async function sendEmail(channel: EmailChannel, payload: ChannelPayload): Promise<void> {
  const message = isDigestPayload(payload) ? emailDigest(payload) : emailMessage(payload);
  await sendMail(channel, { to: channel.to, ...message, headers: { "X-Switchyard-Idempotency-Key": payload.idempotencyKey }, messageId: `<${payload.idempotencyKey}@switchyard>` });
}

/**
 * One message through an e-mail channel's SMTP server and from its sender, to whoever `to` names (a
 * person's password link: lib/control/email-link.ts), not the channel's alert recipients.
 */
export async function sendEmailVia(channel: LoadedChannel, message: { to: string; subject: string; text: string }): Promise<void> {
  if (channel.type !== "email") throw new Error(`channel "${channel.name}" is a ${channel.type} channel, not an e-mail one`);
  if (channel.secretsError) throw new Error(`channel "${channel.name}": ${channel.secretsError}`);
  await sendMail(channel, message);
}

async function sendMail(channel: EmailChannel, message: SendMailOptions): Promise<void> {
  const url = new URL(channel.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // a local relay without TLS is allowed on smtp://; ?tls=required insists on STARTTLS
    requireTLS: url.searchParams.get("tls") === "required",
    ignoreTLS: url.searchParams.get("tls") === "off",
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: channel.from, ...message });
  } catch (error) {
    throw new Error(`smtp ${url.host}: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
}
