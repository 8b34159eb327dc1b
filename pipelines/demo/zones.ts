// Local days and hours of a service's time zone as UTC instants (DST-aware through Intl). A daily
// run covers the service's local calendar day, which is 23, 24 or 25 hours long.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock minus UTC at `instant`, in milliseconds. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time given as if it were UTC (Date.UTC(...) of the local fields). */
export function localToUtc(wallAsUtc: number, timeZone: string): number {
  let t = wallAsUtc - zoneOffsetMs(wallAsUtc, timeZone);
  t = wallAsUtc - zoneOffsetMs(t, timeZone); // second pass settles DST transitions
  return t;
}

/** [start, end) in UTC of the local day `day` (a Date at 00:00 UTC naming the calendar day). */
export function localDayBounds(day: Date, timeZone: string): { start: number; end: number } {
  return { start: localToUtc(day.getTime(), timeZone), end: localToUtc(day.getTime() + 86_400_000, timeZone) };
}

/** [start, end) in UTC of the local hour `hour` (a Date whose UTC fields name the local date and hour). */
export function localHourBounds(hour: Date, timeZone: string): { start: number; end: number } {
  const start = localToUtc(hour.getTime(), timeZone);
  return { start, end: start + 3_600_000 };
}

/** The local hour of day (0-23) at a UTC instant. */
export function localHourOf(instant: number, timeZone: string): number {
  return new Date(instant + zoneOffsetMs(instant, timeZone)).getUTCHours();
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
