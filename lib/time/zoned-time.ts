// Time-zone maths on Intl.DateTimeFormat alone (no date library is installed), shared by the
// runner's triggers and the dashboard's period letters. A "wall time" is
// what a clock on the wall in that zone shows; an instant is a JS Date.

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "") return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time of an instant in a zone (seconds dropped). */
export function wallTimeAt(timeZone: string, instant: Date | number): WallTime {
  const w = wallWithSeconds(timeZone, typeof instant === "number" ? instant : instant.getTime());
  return { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute };
}

// format() and a regular expression: four times faster than formatToParts(), and the trigger
// loop asks for wall times of every service every second.
const FORMAT = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** The wall-clock reading in `timeZone` at `instant` (epoch ms), as if that reading were UTC (epoch ms). */
export function wallClockMs(instant: number, timeZone: string): number {
  const w = wallWithSeconds(timeZone, instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function wallWithSeconds(timeZone: string, ms: number): WallTime & { second: number } {
  const text = formatter(timeZone).format(ms);
  const m = FORMAT.exec(text);
  if (!m) throw new Error(`unexpected date format from Intl: ${JSON.stringify(text)}`);
  // Some ICU versions write midnight as 24:00 of the same date even with hourCycle h23.
  const hour = Number(m[4]) % 24;
  return { year: Number(m[3]), month: Number(m[1]), day: Number(m[2]), hour, minute: Number(m[5]), second: Number(m[6]) };
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetAt(timeZone: string, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const w = wallWithSeconds(timeZone, whole);
  return wallAsUtc(w) + w.second * 1000 - whole;
}

/** The wall time read as if it were UTC, in ms: a plain number to compare and step wall times. */
export function wallAsUtc(w: WallTime): number {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
  d.setUTCFullYear(w.year); // Date.UTC maps years 0-99 to 1900-1999
  return d.getTime();
}

export function utcAsWall(ms: number): WallTime {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

export function sameWall(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

export type Resolution = { instant: Date; exact: "unique" | "ambiguous" | "gap" };

/**
 * The instant a wall time names in a zone. Daylight-saving changes make some wall times happen
 * twice (autumn: the earlier instant is taken) and some never (spring: the wall time is moved
 * forward by the length of the gap, so 02:30 on a spring-forward night becomes 03:30). This is
 * Temporal's "compatible" disambiguation, the behaviour of cron and of most schedulers.
 */
export function resolveWallTime(timeZone: string, wall: WallTime): Resolution {
  const local = wallAsUtc(wall);
  // The offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(timeZone, local - 86_400_000);
  const after = offsetAt(timeZone, local + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((ms) => sameWall(wallTimeAt(timeZone, ms), wall))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return { instant: new Date(candidates[0]), exact: candidates.length > 1 ? "ambiguous" : "unique" };
  return { instant: new Date(local - before), exact: "gap" };
}

/** Calendar date arithmetic on wall dates (no zone involved). */
export function addWallDays(w: WallTime, days: number): WallTime {
  return utcAsWall(wallAsUtc(w) + days * 86_400_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function formatWallDate(w: Pick<WallTime, "year" | "month" | "day">): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** An instant to the minute, as messages and notices write it: "2026-12-07 10:53 UTC". */
export function utcMinute(at: Date | string): string {
  return `${(typeof at === "string" ? new Date(at) : at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A period as the dashboard writes it: a daily's date, an hourly's date and local hour ("2026-12-05 11:00"). */
export function formatPeriod(date: string, hour: number | null | undefined): string {
  return hour === null || hour === undefined ? date : `${date} ${pad(hour)}:00`;
}

/** "YYYY-MM-DD" → a wall time at midnight, or null when the date does not exist. */
export function parseWallDate(text: string): WallTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const w = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0 };
  const back = utcAsWall(wallAsUtc(w));
  return back.month === w.month && back.day === w.day && w.year >= 1 ? w : null;
}

/** "HH:MM" → minutes after midnight. */
export function parseClock(text: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new Error(`expected a local time "HH:MM", got ${JSON.stringify(text)}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}
