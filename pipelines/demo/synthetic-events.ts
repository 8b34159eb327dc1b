import { findDemoService, type Tier } from "./fleet";
import { Rng, seedOf } from "./random";
import type { DemoEvent } from "./records";
import { localDayBounds, localHourOf } from "./zones";

// A service's synthetic event log: users in accounts who come back in sessions of clicks over the
// day, with a diurnal curve in the service's own time zone, purchases after carts, a few errors,
// and a little dirt (duplicate and malformed rows) for the cleaning step. Generated per local hour
// from (service, hour) alone, so the daily log is exactly the union of the hourly ones.

const usersByTier: Record<Tier, number> = { enterprise: 6000, growth: 4000, starter: 2500 };
const sessionsPerUserPerDay = 1.6;
// Relative activity by local hour of day (sums to ~18): quiet nights, busy afternoons.
const diurnal = [0.18, 0.12, 0.08, 0.06, 0.06, 0.1, 0.28, 0.55, 0.85, 1.05, 1.15, 1.18, 1.12, 1.12, 1.08, 1.05, 1.05, 1.1, 1.2, 1.25, 1.15, 0.9, 0.6, 0.34];
const diurnalSum = diurnal.reduce((a, b) => a + b, 0);

const countries = ["US", "GB", "DE", "FR", "BR", "IN", "JP", "AU", "CA", "MX", "SE", "SG"];
const devices = ["desktop", "ios", "android", "tablet", "api"];
const nextTypes = ["page_view", "search", "add_to_cart", "api_call", "error", "logout"] as const;
const nextWeights = [0.52, 0.18, 0.12, 0.1, 0.015, 0.065];

export type Population = { service: string; users: number; accounts: number; timeZone: string };

export function population(service: string, volume = 1): Population {
  const s = findDemoService(service);
  const users = Math.round(usersByTier[s.tier] * volume);
  return { service, users, accounts: Math.max(5, Math.round(users / 12)), timeZone: s.timeZone };
}

function userTraits(service: string, user: number, pop: Population) {
  const h = seedOf("user", service, user);
  return {
    account: `acct-${String((user * 7919) % pop.accounts).padStart(4, "0")}`,
    country: countries[h % countries.length],
    device: devices[(h >>> 8) % devices.length],
  };
}

/** Events of the sessions that start in the hour beginning at `hourStart` (UTC ms); some run into the next hour. */
export function generateHour(pop: Population, hourStart: number): DemoEvent[] {
  const rng = new Rng(seedOf("events", pop.service, hourStart, pop.users));
  const localHour = localHourOf(hourStart, pop.timeZone);
  const sessions = Math.round((pop.users * sessionsPerUserPerDay * diurnal[localHour]) / diurnalSum);
  const prefix = (seedOf(pop.service) % 0xffff).toString(16).padStart(4, "0") + Math.floor(hourStart / 3_600_000).toString(36);
  const events: DemoEvent[] = [];
  let seq = 0;
  for (let s = 0; s < sessions; s++) {
    const user = rng.int(0, pop.users);
    const t = userTraits(pop.service, user, pop);
    let ts = hourStart + Math.floor(rng.next() * 3_600_000);
    const length = 1 + rng.poisson(5);
    let carted = false;
    for (let i = 0; i < length; i++) {
      let type: string = i === 0 ? (rng.next() < 0.4 ? "login" : "page_view") : rng.weighted(nextTypes, nextWeights);
      if (carted && type !== "error" && rng.next() < 0.35) type = rng.next() < 0.6 ? "checkout" : "purchase";
      if (type === "add_to_cart") carted = true;
      const amount = type === "purchase" ? 500 + Math.floor(rng.exponential(4000)) : 0;
      events.push({ id: `${prefix}-${(seq++).toString(36)}`, ts, account: t.account, user: `u${user}`, type, durationMs: 20 + Math.floor(rng.exponential(400)), amountCents: amount, country: t.country, device: t.device });
      ts += 2000 + Math.floor(rng.exponential(55_000)); // gaps well under the 30-minute session timeout
      if (type === "logout") break;
    }
  }
  addDirt(events, rng);
  return events;
}

/** ~0.3% duplicated rows and ~0.15% rows with a missing user, as real logs have. */
function addDirt(events: DemoEvent[], rng: Rng): void {
  const n = events.length;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.003) events.push({ ...events[i] });
    else if (r < 0.0045) events[i] = { ...events[i], user: "" };
  }
}

/** The local day's log: every hour slice that can reach into the day, cut to [start, end), by time. */
export function generateDay(pop: Population, day: Date): { events: DemoEvent[]; start: number; end: number } {
  const { start, end } = localDayBounds(day, pop.timeZone);
  const events: DemoEvent[] = [];
  for (let h = start - 3_600_000; h < end; h += 3_600_000) {
    for (const e of generateHour(pop, h)) if (e.ts >= start && e.ts < end) events.push(e);
  }
  events.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { events, start, end };
}

/** One local hour's log: the sessions of that hour and the previous one, cut to the hour. */
export function generateLocalHour(pop: Population, hourStart: number): DemoEvent[] {
  const end = hourStart + 3_600_000;
  const events = [...generateHour(pop, hourStart - 3_600_000), ...generateHour(pop, hourStart)].filter((e) => e.ts >= hourStart && e.ts < end);
  return events.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
