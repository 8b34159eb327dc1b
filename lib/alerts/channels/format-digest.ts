import type { DigestItem, DigestPayload } from "@/lib/alerts/channels/digest";

// A digest (or a test send) as each channel type receives it: Slack Block Kit, e-mail text and
// HTML. A webhook gets the DigestPayload itself as JSON.

const GROUPS: Array<{ title: string; rules: string[] | null }> = [
  { title: "Failed", rules: ["run_failed", "task_disabled"] },
  { title: "Missing or late", rules: ["sla_miss", "missing_period"] },
  { title: "Running long", rules: ["long_running"] },
  { title: "Fleet", rules: null },
];

function grouped(items: DigestItem[]): Array<{ title: string; items: DigestItem[] }> {
  const known = new Set(GROUPS.flatMap((g) => g.rules ?? []));
  return GROUPS.map((g) => ({ title: g.title, items: items.filter((i) => (g.rules ? g.rules.includes(i.rule) : !known.has(i.rule))) })).filter((g) => g.items.length > 0);
}

export function digestTitle(p: DigestPayload): string {
  if (p.event === "test") return `Test from Switchyard to channel ${p.channel}: this is what its digest would say now`;
  return `Switchyard digest ${p.date}: ${p.items.length === 0 ? "all green" : `${p.items.length} red`}`;
}

const line = (i: DigestItem) => [i.service, i.period].filter(Boolean).join(" ") || i.rule;

function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackDigest(p: DigestPayload): Record<string, unknown> {
  const sections = grouped(p.items).map((g) => ({
    type: "section",
    text: {
      type: "mrkdwn",
      // Slack allows 3000 characters in a section: the first 15 items, then a count
      text: `*${g.title}*\n${g.items
        .slice(0, 15)
        .map((i) => `• ${escapeSlack(line(i))}: ${escapeSlack(i.summary)}${i.links.run ? ` <${i.links.run}|run>` : ""}${i.links.service ? ` <${i.links.service}|service>` : ""}`)
        .join("\n")}${g.items.length > 15 ? `\n…and ${g.items.length - 15} more` : ""}`.slice(0, 2900),
    },
  }));
  return {
    text: `${digestTitle(p)}. ${p.summary}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: digestTitle(p).slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: escapeSlack(p.summary) } },
      ...sections,
      { type: "context", elements: [{ type: "mrkdwn", text: `<${p.links.incidents}|Incidents> · <${p.links.home}|Switchyard>` }] },
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function emailDigest(p: DigestPayload): { subject: string; text: string; html: string } {
  const groups = grouped(p.items);
  const text = [
    p.summary,
    ...groups.map((g) => `\n${g.title}\n${g.items.map((i) => `- ${line(i)}: ${i.summary}${i.links.run ? `\n  run: ${i.links.run}` : ""}${i.links.service ? `\n  service: ${i.links.service}` : ""}`).join("\n")}`),
    `\nIncidents: ${p.links.incidents}`,
  ].join("\n");
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${label}</a>`;
  const html = [
    `<p>${escapeHtml(p.summary)}</p>`,
    ...groups.map(
      (g) =>
        `<h3>${escapeHtml(g.title)}</h3><ul>${g.items
          .map((i) => `<li>${escapeHtml(line(i))}: ${escapeHtml(i.summary)}${i.links.run ? ` ${link(i.links.run, "run")}` : ""}${i.links.service ? ` ${link(i.links.service, "service")}` : ""}</li>`)
          .join("")}</ul>`,
    ),
    `<p>${link(p.links.incidents, "Incidents")}</p>`,
  ].join("");
  return { subject: `[switchyard] ${digestTitle(p)}`, text: `${text}\n`, html };
}
