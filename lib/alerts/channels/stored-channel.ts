import type { AlertChannel } from "@/lib/schemas/alert-channels";

// A channel as the database holds it: what may be shown (target, filters, quiet hours, digest)
// apart from what may not (secrets: webhook and Slack URLs, the signing secret, the SMTP URL with
// its password). Only the sender and an admin's edit read the secrets column; a page or an API
// answer gets channelView(), where an admin sees a masked form and anybody else nothing.

export const SECRET_FIELDS = { webhook: ["url", "secret"], slack: ["url"], email: ["smtpUrl"] } as const;
type Kind = AlertChannel["type"];

export type StoredChannel = {
  name: string;
  kind: Kind;
  target: Record<string, unknown>;
  secrets: Record<string, string>;
  filters: { rules?: string[]; services?: string[]; severities?: string[] };
  quietHours: AlertChannel["quietHours"] | null;
  digest: AlertChannel["digest"] | null;
  paused: boolean;
};

export function toStored(channel: AlertChannel): StoredChannel {
  const { type, name, rules, services, severities, quietHours, digest, paused, ...rest } = channel;
  const secretNames: readonly string[] = SECRET_FIELDS[type];
  const target: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (secretNames.includes(key)) secrets[key] = String(value);
    else target[key] = value;
  }
  return { name, kind: type, target, secrets, filters: dropUndefined({ rules, services, severities }), quietHours: quietHours ?? null, digest: digest ?? null, paused: paused ?? false };
}

export function fromStored(s: StoredChannel): AlertChannel {
  return dropUndefined({
    type: s.kind,
    name: s.name,
    ...s.target,
    ...s.secrets,
    ...s.filters,
    quietHours: s.quietHours ?? undefined,
    digest: s.digest ?? undefined,
    paused: s.paused,
  }) as AlertChannel;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What an admin sees of a secret: enough to recognise it, never enough to use it. */
export function maskSecret(field: string, value: string): string {
  if (field === "secret") return "•••• (set)";
  try {
    const u = new URL(value);
    if (u.protocol.startsWith("smtp")) return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}:••••@` : ""}${u.host} (set)`;
    return `${u.protocol}//${u.host}/…/•••• (set)`;
  } catch {
    return "•••• (set)";
  }
}

export type ChannelSource = "env" | "api" | "file";

export type ChannelView = {
  name: string;
  type: Kind;
  source: ChannelSource;
  paused: boolean;
  /** not secret: an e-mail channel's from and to */
  target: Record<string, unknown>;
  /** masked secrets, admins only; null for everybody else */
  secrets: Record<string, string> | null;
  rules: string[] | null;
  services: string[] | null;
  severities: string[] | null;
  quietHours: AlertChannel["quietHours"] | null;
  digest: AlertChannel["digest"] | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

export function channelView(channel: AlertChannel, meta: { source: ChannelSource; updatedAt?: Date | null; updatedBy?: string | null }, admin: boolean): ChannelView {
  const s = toStored(channel);
  return {
    name: s.name,
    type: s.kind,
    source: meta.source,
    paused: s.paused,
    target: s.target,
    secrets: admin ? Object.fromEntries(Object.entries(s.secrets).map(([k, v]) => [k, maskSecret(k, v)])) : null,
    rules: s.filters.rules ?? null,
    services: s.filters.services ?? null,
    severities: s.filters.severities ?? null,
    quietHours: s.quietHours,
    digest: s.digest,
    updatedAt: meta.updatedAt?.toISOString() ?? null,
    updatedBy: meta.updatedBy ?? null,
  };
}
