import type { ChannelView } from "@/lib/alerts/channels/stored-channel";

// The Channels form's state and the request body made from it. Lists are typed as text
// ("a@x.test, b@x.test"); a secret field starts blank and, when left blank on an edit, is sent as
// "" — the server keeps the stored secret, which the browser never had.

export type Draft = {
  name: string;
  type: "slack" | "webhook" | "email";
  url: string;
  secret: string;
  smtpUrl: string;
  from: string;
  to: string;
  rules: string[];
  services: string;
  severities: string[];
  quietFrom: string;
  quietTo: string;
  quietTimeZone: string;
  digestTime: string;
  digestTimeZone: string;
};

export const emptyDraft: Draft = {
  name: "",
  type: "slack",
  url: "",
  secret: "",
  smtpUrl: "",
  from: "",
  to: "",
  rules: [],
  services: "",
  severities: [],
  quietFrom: "",
  quietTo: "",
  quietTimeZone: "UTC",
  digestTime: "",
  digestTimeZone: "UTC",
};

export function draftOf(c: ChannelView): Draft {
  return {
    ...emptyDraft,
    name: c.name,
    type: c.type,
    from: typeof c.target.from === "string" ? c.target.from : "",
    to: Array.isArray(c.target.to) ? c.target.to.join(", ") : "",
    rules: c.rules ?? [],
    services: (c.services ?? []).join(", "),
    severities: c.severities ?? [],
    quietFrom: c.quietHours?.from ?? "",
    quietTo: c.quietHours?.to ?? "",
    quietTimeZone: c.quietHours?.timeZone ?? "UTC",
    digestTime: c.digest?.time ?? "",
    digestTimeZone: c.digest?.timeZone ?? "UTC",
  };
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** POST body for a new channel, PATCH body for an edit (cleared filters as null, blank secrets as ""). */
export function bodyOf(d: Draft, editing: boolean, reason: string): Record<string, unknown> {
  const none = editing ? null : undefined;
  const target =
    d.type === "email" ? { smtpUrl: d.smtpUrl.trim(), from: d.from.trim(), to: list(d.to) } : d.type === "webhook" ? { url: d.url.trim(), secret: d.secret } : { url: d.url.trim() };
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    type: d.type,
    ...target,
    rules: d.rules.length ? d.rules : none,
    services: list(d.services).length ? list(d.services) : none,
    severities: d.severities.length ? d.severities : none,
    quietHours: d.quietFrom && d.quietTo ? { from: d.quietFrom, to: d.quietTo, timeZone: d.quietTimeZone.trim() } : none,
    digest: d.digestTime ? { time: d.digestTime, timeZone: d.digestTimeZone.trim() } : none,
    reason: reason.trim() || undefined,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}
