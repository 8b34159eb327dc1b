import fs from "node:fs";
import zlib from "node:zlib";

// The demo's record types and their gzipped CSV files. Fields never contain commas, so CSV needs
// no quoting; a malformed line (wrong field count) is exactly what CleanEvents is there to drop.

export const eventTypes = ["login", "page_view", "search", "add_to_cart", "checkout", "purchase", "api_call", "error", "logout"] as const;
export type EventType = (typeof eventTypes)[number];

export type DemoEvent = {
  id: string;
  ts: number;
  account: string;
  user: string;
  type: string;
  durationMs: number;
  amountCents: number;
  country: string;
  device: string;
};

export type Session = {
  id: string;
  account: string;
  user: string;
  start: number;
  end: number;
  events: number;
  pageViews: number;
  purchases: number;
  revenueCents: number;
  errors: number;
  device: string;
  country: string;
};

const eventHeader = "event_id,ts,account_id,user_id,event_type,duration_ms,amount_cents,country,device";
const sessionHeader = "session_id,account_id,user_id,start,end,duration_s,events,page_views,purchases,revenue_cents,errors,device,country";

export function eventsToCsv(events: DemoEvent[]): string {
  const lines = [eventHeader];
  for (const e of events) lines.push(`${e.id},${new Date(e.ts).toISOString()},${e.account},${e.user},${e.type},${e.durationMs},${e.amountCents},${e.country},${e.device}`);
  return lines.join("\n") + "\n";
}

/** Parses event lines; lines that do not have the right shape are returned as `bad`. */
export function eventsFromCsv(text: string): { events: DemoEvent[]; bad: number } {
  const events: DemoEvent[] = [];
  let bad = 0;
  const lines = text.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const f = line.split(",");
    const ts = Date.parse(f[1]);
    if (f.length !== 9 || Number.isNaN(ts)) {
      bad++;
      continue;
    }
    events.push({ id: f[0], ts, account: f[2], user: f[3], type: f[4], durationMs: Number(f[5]), amountCents: Number(f[6]), country: f[7], device: f[8] });
  }
  return { events, bad };
}

export function sessionsToCsv(sessions: Session[]): string {
  const lines = [sessionHeader];
  for (const s of sessions) {
    lines.push(
      `${s.id},${s.account},${s.user},${new Date(s.start).toISOString()},${new Date(s.end).toISOString()},${Math.round((s.end - s.start) / 1000)},${s.events},${s.pageViews},${s.purchases},${s.revenueCents},${s.errors},${s.device},${s.country}`,
    );
  }
  return lines.join("\n") + "\n";
}

export function sessionsFromCsv(text: string): Session[] {
  const out: Session[] = [];
  const lines = text.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const f = lines[i].split(",");
    out.push({
      id: f[0],
      account: f[1],
      user: f[2],
      start: Date.parse(f[3]),
      end: Date.parse(f[4]),
      events: Number(f[6]),
      pageViews: Number(f[7]),
      purchases: Number(f[8]),
      revenueCents: Number(f[9]),
      errors: Number(f[10]),
      device: f[11],
      country: f[12],
    });
  }
  return out;
}

export function writeGzip(file: string, text: string): void {
  fs.writeFileSync(file, zlib.gzipSync(text, { level: 6 }));
}

export function readGzip(file: string): string {
  return zlib.gunzipSync(fs.readFileSync(file)).toString("utf8");
}
