import type { DemoEvent, Session } from "./records";
import { localHourOf } from "./zones";

// The demo pipeline's computations, as plain functions over records (the tasks only do I/O).

export const SESSION_GAP_MS = 30 * 60_000;

export type CleanStats = { input: number; kept: number; duplicates: number; missingUser: number; outOfRange: number; malformed: number };

/** Drops duplicate ids, rows without a user and rows outside the period; keeps time order. */
export function cleanEvents(events: DemoEvent[], start: number, end: number, malformed = 0): { events: DemoEvent[]; stats: CleanStats } {
  const seen = new Set<string>();
  const kept: DemoEvent[] = [];
  const stats: CleanStats = { input: events.length + malformed, kept: 0, duplicates: 0, missingUser: 0, outOfRange: 0, malformed };
  for (const e of events) {
    if (seen.has(e.id)) stats.duplicates++;
    else if (!e.user) stats.missingUser++;
    else if (e.ts < start || e.ts >= end) stats.outOfRange++;
    else {
      seen.add(e.id);
      kept.push(e);
    }
  }
  kept.sort((a, b) => a.ts - b.ts);
  stats.kept = kept.length;
  return { events: kept, stats };
}

/** A user's events split into sessions wherever they were idle for 30 minutes or more. */
export function sessionize(events: DemoEvent[], gapMs = SESSION_GAP_MS): Session[] {
  const byUser = new Map<string, DemoEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.user);
    if (list) list.push(e);
    else byUser.set(e.user, [e]);
  }
  const sessions: Session[] = [];
  for (const [user, list] of [...byUser.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.ts - b.ts);
    let current: Session | null = null;
    for (const e of list) {
      if (!current || e.ts - current.end >= gapMs) {
        current = { id: `${user}-${sessions.length.toString(36)}`, account: e.account, user, start: e.ts, end: e.ts, events: 0, pageViews: 0, purchases: 0, revenueCents: 0, errors: 0, device: e.device, country: e.country };
        sessions.push(current);
      }
      current.end = e.ts;
      current.events++;
      if (e.type === "page_view") current.pageViews++;
      if (e.type === "purchase") {
        current.purchases++;
        current.revenueCents += e.amountCents;
      }
      if (e.type === "error") current.errors++;
    }
  }
  return sessions;
}

export type AccountDay = { account: string; users: number; sessions: number; events: number; purchases: number; revenueCents: number; avgSessionSeconds: number; conversionRate: number; errors: number };

export function aggregateAccounts(sessions: Session[]): AccountDay[] {
  const acc = new Map<string, { users: Set<string>; sessions: number; events: number; purchases: number; revenue: number; seconds: number; converted: number; errors: number }>();
  for (const s of sessions) {
    let a = acc.get(s.account);
    if (!a) acc.set(s.account, (a = { users: new Set(), sessions: 0, events: 0, purchases: 0, revenue: 0, seconds: 0, converted: 0, errors: 0 }));
    a.users.add(s.user);
    a.sessions++;
    a.events += s.events;
    a.purchases += s.purchases;
    a.revenue += s.revenueCents;
    a.seconds += (s.end - s.start) / 1000;
    a.converted += s.purchases > 0 ? 1 : 0;
    a.errors += s.errors;
  }
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([account, a]) => ({
      account,
      users: a.users.size,
      sessions: a.sessions,
      events: a.events,
      purchases: a.purchases,
      revenueCents: a.revenue,
      avgSessionSeconds: round(a.seconds / a.sessions, 1),
      conversionRate: round(a.converted / a.sessions, 4),
      errors: a.errors,
    }));
}

export type DailyMetrics = {
  events: number;
  users: number;
  accounts: number;
  sessions: number;
  revenueCents: number;
  sessionSeconds: { p50: number; p90: number; p99: number };
  bounceRate: number;
  conversionRate: number;
  errorRate: number;
  eventsByType: Record<string, number>;
  eventsByLocalHour: number[];
  topAccounts: Array<{ account: string; revenueCents: number; sessions: number }>;
};

export function computeMetrics(events: DemoEvent[], sessions: Session[], accounts: AccountDay[], timeZone: string): DailyMetrics {
  const eventsByType: Record<string, number> = {};
  const byHour = new Array(24).fill(0);
  let errors = 0;
  for (const e of events) {
    eventsByType[e.type] = (eventsByType[e.type] ?? 0) + 1;
    byHour[localHourOf(e.ts, timeZone)]++;
    if (e.type === "error") errors++;
  }
  const durations = sessions.map((s) => (s.end - s.start) / 1000).sort((a, b) => a - b);
  const n = Math.max(1, sessions.length);
  return {
    events: events.length,
    users: new Set(sessions.map((s) => s.user)).size,
    accounts: accounts.length,
    sessions: sessions.length,
    revenueCents: accounts.reduce((sum, a) => sum + a.revenueCents, 0),
    sessionSeconds: { p50: percentile(durations, 0.5), p90: percentile(durations, 0.9), p99: percentile(durations, 0.99) },
    bounceRate: round(sessions.filter((s) => s.events === 1).length / n, 4),
    conversionRate: round(sessions.filter((s) => s.purchases > 0).length / n, 4),
    errorRate: round(errors / Math.max(1, events.length), 5),
    eventsByType,
    eventsByLocalHour: byHour,
    topAccounts: [...accounts]
      .sort((a, b) => b.revenueCents - a.revenueCents || (a.account < b.account ? -1 : 1))
      .slice(0, 10)
      .map((a) => ({ account: a.account, revenueCents: a.revenueCents, sessions: a.sessions })),
  };
}

export type MinuteRollup = { minute: number; events: number; users: number; purchases: number; revenueCents: number; errors: number };

/** Per-minute counts of one hour's events. */
export function rollupMinutes(events: DemoEvent[], hourStart: number): MinuteRollup[] {
  const minutes = Array.from({ length: 60 }, (_, minute) => ({ minute, events: 0, users: new Set<string>(), purchases: 0, revenueCents: 0, errors: 0 }));
  for (const e of events) {
    const m = minutes[Math.floor((e.ts - hourStart) / 60_000)];
    if (!m) continue;
    m.events++;
    if (e.user) m.users.add(e.user);
    if (e.type === "purchase") {
      m.purchases++;
      m.revenueCents += e.amountCents;
    }
    if (e.type === "error") m.errors++;
  }
  return minutes.map((m) => ({ ...m, users: m.users.size }));
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))], 1);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
