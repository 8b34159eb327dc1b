import { createHmac } from "node:crypto";
import type { AlertPayload } from "@/lib/alerts/enqueue";
import { utcMinute } from "@/lib/time/zoned-time";

// What each channel type receives, built from the outbox payload alone.

const RULE_TITLES: Record<string, string> = {
  run_failed: "Run failed",
  sla_miss: "Not done by its expected time",
  long_running: "Run taking much longer than usual",
  stuck_queue: "Queue stuck",
  runner_stale: "Runner stopped heartbeating",
  runner_restarts: "Runner crash-looping",
  scheduler_unreachable: "Scheduler unreachable from a runner",
  task_disabled: "Task disabled by the scheduler",
  channel_failing: "Alert channel cannot deliver",
  database_unreachable: "Database unreachable",
};

export function title(p: AlertPayload): string {
  const what = RULE_TITLES[p.incident.rule] ?? p.incident.rule;
  const where = [p.incident.service, p.incident.kind, p.incident.period].filter(Boolean).join(" ");
  return `${p.event === "resolve" ? "Resolved" : p.incident.severity === "critical" ? "CRITICAL" : "Warning"}: ${what}${where ? ` - ${where}` : ""}`;
}

/** Said on a message that a silence held back: it arrives late, and this says why. */
export function heldNote(p: AlertPayload): string | null {
  if (!p.heldUntil) return null;
  return `Held by a silence of its service until ${utcMinute(p.heldUntil)}; the incident opened ${utcMinute(p.incident.openedAt)} and is still open.`;
}

export function firstLine(error: string | null): string | null {
  const line = error?.split("\n").find((l) => l.trim() !== "")?.trim();
  return line ? line.slice(0, 300) : null;
}

/** X-Switchyard-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<body>">, the timestamp guards against replay. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** A Slack incoming-webhook message in Block Kit. */
export function slackMessage(p: AlertPayload): Record<string, unknown> {
  const i = p.incident;
  const fields = [
    i.service && `*Service*\n${i.service}`,
    i.period && `*Period*\n${i.kind ?? ""} ${i.period}`,
    `*Rule*\n${i.rule} (${i.severity})`,
  ].filter((f): f is string => Boolean(f));
  const error = firstLine(i.error);
  const links = [i.links.run && `<${i.links.run}|Run>`, i.links.service && `<${i.links.service}|Service>`, `<${i.links.incident}|Incidents>`].filter(Boolean).join(" · ");
  const held = heldNote(p);
  return {
    text: `${title(p)}: ${i.summary}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title(p).slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: escapeSlack(i.summary) }, fields: fields.map((text) => ({ type: "mrkdwn", text: escapeSlack(text) })) },
      ...(error ? [{ type: "section", text: { type: "mrkdwn", text: "```" + escapeSlack(error) + "```" } }] : []),
      { type: "context", elements: [...(held ? [{ type: "mrkdwn", text: escapeSlack(held) }] : []), { type: "mrkdwn", text: links }] },
    ],
  };
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function emailMessage(p: AlertPayload): { subject: string; text: string; html: string } {
  const i = p.incident;
  const error = firstLine(i.error);
  const rows: Array<[string, string | null]> = [
    ["Service", i.service],
    ["Period", i.period && `${i.kind ?? ""} ${i.period}`],
    ["Rule", `${i.rule} (${i.severity})`],
    ["Error", error],
    ["Run", i.links.run],
    ["Service page", i.links.service],
    ["Incidents", i.links.incident],
    ["Note", heldNote(p)],
  ];
  const present = rows.filter((r): r is [string, string] => r[1] !== null);
  const text = `${i.summary}\n\n${present.map(([k, v]) => `${k}: ${v}`).join("\n")}\n`;
  const cell = (k: string, v: string) => (/^https?:\/\//.test(v) ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v));
  const html = `<p>${escapeHtml(i.summary)}</p><table>${present.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${cell(k, v)}</td></tr>`).join("")}</table>`;
  return { subject: `[switchyard] ${title(p)}`, text, html };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
