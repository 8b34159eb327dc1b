import { taskIdStr } from "../../lib/pipeline/task-id";
import { unitHash } from "./random";

// The demo fleet: services named like real customers, each in its own time zone, with a daily
// pipeline (AllDailyTask) and, for every third service, an hourly one (AllHourlyTask). The runner
// seeds its services table from demoServices() and launches runs with demoCommands.

export type DemoService = {
  name: string;
  displayName: string;
  timeZone: string;
  /** local time the daily run for the previous day is due */
  dailyTime: string;
  hourly: boolean;
  /** minute past each local hour the hourly run for the previous hour is due */
  hourlyMinute: number;
  labels: Record<string, string>;
};

export type Tier = "enterprise" | "growth" | "starter";

const named: Array<[string, string, string]> = [
  ["northwind-traders", "Northwind Traders", "America/New_York"],
  ["contoso-retail", "Contoso Retail", "America/Chicago"],
  ["fabrikam-analytics", "Fabrikam Analytics", "America/Los_Angeles"],
  ["tailspin-toys", "Tailspin Toys", "America/Denver"],
  ["wide-world-importers", "Wide World Importers", "Europe/London"],
  ["adventure-works", "Adventure Works Cycles", "Europe/Berlin"],
  ["litware-media", "Litware Media", "Europe/Paris"],
  ["proseware-labs", "Proseware Labs", "Europe/Madrid"],
  ["woodgrove-bank", "Woodgrove Bank", "America/Toronto"],
  ["fourth-coffee", "Fourth Coffee", "America/Sao_Paulo"],
  ["alpine-ski-house", "Alpine Ski House", "Europe/Zurich"],
  ["blue-yonder-airlines", "Blue Yonder Airlines", "Asia/Dubai"],
  ["coho-winery", "Coho Winery", "Australia/Sydney"],
  ["lucerne-publishing", "Lucerne Publishing", "Europe/Stockholm"],
  ["margies-travel", "Margie's Travel", "Asia/Singapore"],
  ["trey-research", "Trey Research", "Asia/Tokyo"],
  ["wingtip-toys", "Wingtip Toys", "Asia/Kolkata"],
  ["humongous-insurance", "Humongous Insurance", "America/Mexico_City"],
  ["relecloud", "Relecloud", "Pacific/Auckland"],
  ["southridge-video", "Southridge Video", "Africa/Johannesburg"],
  ["datum-corp", "A. Datum Corporation", "Asia/Seoul"],
  ["city-power-light", "City Power & Light", "America/Anchorage"],
  ["consolidated-messenger", "Consolidated Messenger", "Europe/Warsaw"],
  ["graphic-design-institute", "Graphic Design Institute", "Asia/Kathmandu"],
];

// Beyond the named two dozen, further services are composed from these (240 combinations, then numbered).
const prefixes = ["Aurora", "Bramble", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchard", "Pioneer", "Quarry", "Riverside", "Summit", "Tidewater", "Upland", "Vantage", "Willow", "Zephyr"];
const suffixes = ["Logistics", "Health", "Foods", "Energy", "Robotics", "Outfitters", "Capital", "Studios", "Systems", "Markets"];
const zones = named.map(([, , z]) => z);

function nthService(i: number): [string, string, string] {
  if (i < named.length) return named[i];
  const k = i - named.length;
  const base = `${prefixes[k % prefixes.length]} ${suffixes[Math.floor(k / prefixes.length) % suffixes.length]}`;
  const round = Math.floor(k / (prefixes.length * suffixes.length));
  const display = round === 0 ? base : `${base} ${round + 1}`;
  return [display.toLowerCase().replace(/[^a-z0-9]+/g, "-"), display, zones[(k * 7) % zones.length]];
}

export function tierOf(name: string): Tier {
  const h = unitHash("tier", name);
  return h < 0.25 ? "enterprise" : h < 0.65 ? "growth" : "starter";
}

function regionOf(timeZone: string): string {
  if (timeZone.startsWith("America/")) return "amer";
  if (timeZone.startsWith("Europe/") || timeZone.startsWith("Africa/")) return "emea";
  return "apac";
}

/** The demo services, deterministic: the same count always gives the same fleet. */
export function demoServices(count = 24): DemoService[] {
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw new Error(`demo service count must be a whole number from 1 to 5000 (got ${count})`);
  return Array.from({ length: count }, (_, i) => {
    const [name, displayName, timeZone] = nthService(i);
    const minutes = 30 + Math.floor(unitHash("daily", name) * 14) * 15; // 00:30 .. 03:45 local
    return {
      name,
      displayName,
      timeZone,
      dailyTime: `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`,
      hourly: i % 3 === 0,
      hourlyMinute: 5 + ((i * 7) % 50),
      labels: { tier: tierOf(name), region: regionOf(timeZone), team: ["growth", "payments", "platform", "insights"][i % 4] },
    };
  });
}

/** A service's settings by name; an unknown name (e.g. a numeric id) gets UTC and a hashed tier. */
export function findDemoService(name: string): Pick<DemoService, "name" | "timeZone" | "displayName"> & { tier: Tier } {
  byName ??= new Map(demoServices(2000).map((s) => [s.name, s]));
  const known = byName.get(name);
  return known ? { name, displayName: known.displayName, timeZone: known.timeZone, tier: tierOf(name) } : { name, displayName: name, timeZone: "UTC", tier: tierOf(name) };
}
let byName: Map<string, DemoService> | undefined;

/**
 * How the runner launches demo runs (from the repository root). Placeholders:
 * {service} the service's name, {day} its local day YYYY-MM-DD, {hour} its local hour
 * YYYY-MM-DDTHH, {scheduler_url} the scheduler; a forced run appends `force`, a run from a
 * chosen task appends `forceTask` with {task} = a task family or task id.
 */
export const demoCommands = {
  daily: "node bin/switchyard.mjs run --module pipelines/demo/daily.ts AllDailyTask --service-id {service} --day {day} --scheduler-url {scheduler_url}",
  hourly: "node bin/switchyard.mjs run --module pipelines/demo/hourly.ts AllHourlyTask --service-id {service} --hour {hour} --scheduler-url {scheduler_url}",
  force: "--force",
  forceTask: "--force-task {task}",
} as const;

/** The root task id of a demo run, as the worker will register it (for linking runs to tasks). */
export function demoRootTaskId(kind: "daily" | "hourly", service: string, period: string): string {
  return kind === "daily" ? taskIdStr("AllDailyTask", { service_id: service, day: period }) : taskIdStr("AllHourlyTask", { service_id: service, hour: period });
}
