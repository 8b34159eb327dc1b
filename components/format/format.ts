// Display formatting shared by server and client components. Times are shown in UTC (stated in
// headers) and "ago" is measured from the read model's generatedAt, not the browser clock, so
// the server's HTML and the client's first render agree (no hydration mismatch) and periods —
// which are service-local dates — are never confused with the viewer's zone.

export function formatUtc(iso: string | null | undefined, withDate = true): string {
  if (!iso) return "—";
  const d = new Date(iso);
  const date = d.toISOString().slice(5, 10);
  const time = d.toISOString().slice(11, 19);
  return withDate ? `${date} ${time}` : time;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export function secondsBetween(fromIso: string | null | undefined, toIso: string | null | undefined): number | null {
  if (!fromIso || !toIso) return null;
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

export function formatAgo(iso: string | null | undefined, nowIso: string): string {
  const s = secondsBetween(iso, nowIso);
  if (s === null) return "—";
  // under a second ahead is clock skew between the scheduler's stamps and this read ("in 0s" on
  // the workers page); further ahead is a real future time
  if (s <= -1) return `in ${formatDuration(-s)}`;
  return `${formatDuration(Math.max(0, s))} ago`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export { formatPeriod } from "@/lib/time/zoned-time";

export function formatParams(params: Record<string, string | null> | null | undefined): string {
  if (!params) return "—";
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v ?? ""}`)
    .join(" ");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An operator's reason (up to 1,000 characters) in a status line: its start, the audit log has it whole. */
export function shortReason(reason: string, max = 120): string {
  return reason.length > max ? `${reason.slice(0, max - 1)}…` : reason;
}
