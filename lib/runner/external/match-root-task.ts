import { rootTaskFromArgv, type RootTaskSpec } from "@/lib/runner/command/root-task";
import { splitWords } from "@/lib/runner/command/template";
import { dailyPeriod, hourlyPeriod, type Period } from "@/lib/runner/schedule/periods";
import type { RunKind } from "@/lib/runner/run-states";

// Recognises a run launched elsewhere (cron, Jenkins, Airflow) by its root task: a task whose
// family and parameters match a service's rootTask template — named in the services file, or read
// off its command line as the runner does for its own runs — for some period of that service.
// Pure: the tests run it on plain data.

export type TemplateService = {
  id: number;
  name: string;
  timeZone: string;
  dailyTime: string;
  hourlyMinute: number;
  dailyCommand: string;
  hourlyCommand: string | null;
  rootTask: { daily?: RootTaskSpec; hourly?: RootTaskSpec };
};

export type RootTemplate = { service: TemplateService; kind: RunKind; spec: RootTaskSpec };
export type ExternalMatch = { service: TemplateService; kind: RunKind; period: Period };

/** Every service's daily and hourly root-task templates, `{service}` already filled in. */
export function rootTemplates(services: TemplateService[]): RootTemplate[] {
  const out: RootTemplate[] = [];
  for (const service of services) {
    for (const kind of ["daily", "hourly"] as const) {
      const command = kind === "daily" ? service.dailyCommand : service.hourlyCommand;
      const spec = service.rootTask[kind] ?? (command ? safeRootTask(command) : null);
      if (spec) out.push({ service, kind, spec });
    }
  }
  return out;
}

function safeRootTask(command: string): RootTaskSpec | null {
  try {
    return rootTaskFromArgv(splitWords(command));
  } catch {
    return null;
  }
}

const DAY = "\\d{4}-\\d{2}-\\d{2}";
const HOUR = `${DAY}T\\d{2}`;

/** The period a task (family + parameters as the worker sent them) is the root task of, or null. */
export function matchRootTask(templates: RootTemplate[], family: string, params: Record<string, string | null>): ExternalMatch | null {
  for (const t of templates) {
    if (t.spec.family !== family) continue;
    const found = matchParams(t, params);
    if (found) return found;
  }
  return null;
}

function matchParams(t: RootTemplate, params: Record<string, string | null>): ExternalMatch | null {
  let day: string | null = null;
  let hour: string | null = null;
  for (const [name, template] of Object.entries(t.spec.params)) {
    const value = params[name];
    if (value === undefined || value === null) return null;
    const m = new RegExp(`^${toPattern(template, t)}$`).exec(value);
    if (!m) return null;
    const g = m.groups ?? {};
    // {period} is the day for daily runs and the hour for hourly ones.
    const d = g.day ?? (t.kind === "daily" ? g.period : undefined);
    const h = g.hour ?? (t.kind === "hourly" ? g.period : undefined);
    if (d) {
      if (day && day !== d) return null;
      day = d;
    }
    if (h) {
      if (hour && hour !== h) return null;
      hour = h;
    }
  }
  const schedule = { timeZone: t.service.timeZone, dailyTime: t.service.dailyTime, hourlyMinute: t.service.hourlyMinute };
  if (t.kind === "daily") {
    const period = day ? dailyPeriod(schedule, day) : null;
    return period ? { service: t.service, kind: "daily", period } : null;
  }
  if (!hour || (day && !hour.startsWith(day))) return null;
  const period = hourlyPeriod(schedule, hour.slice(0, 10), Number(hour.slice(11, 13)));
  return period ? { service: t.service, kind: "hourly", period } : null;
}

/** A parameter template as a regular expression: literals escaped, {service} the service's name, {day}/{hour}/{period} captured. */
function toPattern(template: string, t: RootTemplate): string {
  let out = "";
  let used = new Set<string>();
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    out += escape(template.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === "{{" || m[0] === "}}") {
      out += escape(m[0][0]);
      continue;
    }
    const name = m[1];
    if (name === "service") out += escape(t.service.name);
    else if ((name === "day" || name === "hour" || name === "period") && !used.has(name)) {
      const shape = name === "day" || (name === "period" && t.kind === "daily") ? DAY : HOUR;
      out += `(?<${name}>${shape})`;
      used = new Set([...used, name]);
    } else out += ".*?";
  }
  return out + escape(template.slice(last));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
