// Calendar dates and date-hours as Luigi writes them ("2026-11-22", "2026-11-22T07"). A date is a
// JS Date at 00:00 UTC of that day, a date-hour a Date at HH:00 UTC: always read with getUTC*(),
// so the machine's time zone can never shift a day.

const DAY_MS = 86_400_000;

/** strptime("%Y-%m-%d")-like: month and day may have one or two digits; the date must exist. */
export function parseIsoDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  return utcDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** strptime("%Y-%m-%dT%H"). */
export function parseDateHour(text: string): Date | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const day = utcDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const hour = Number(m[4]);
  if (!day || hour > 23) return null;
  return new Date(day.getTime() + hour * 3_600_000);
}

export function utcDate(year: number, month: number, day: number): Date | null {
  if (month < 1 || month > 12 || day < 1 || year < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  d.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function formatIsoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatDateHour(d: Date): string {
  return `${formatIsoDate(d)}T${pad(d.getUTCHours())}`;
}

/** Midnight UTC of the same calendar day (Luigi normalises a date parameter to a date). */
export function truncateToDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

export function truncateToHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** ISO-8601 (year, week) of a date, as Python's date.isocalendar()[:2]. */
export function isoWeek(d: Date): { year: number; week: number } {
  // The ISO year and week are those of the Thursday in the same Monday-started week.
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = addDays(truncateToDay(d), 3 - weekday);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - utcDate(year, 1, 1)!.getTime()) / DAY_MS);
  return { year, week: 1 + Math.floor(dayOfYear / 7) };
}

/** The Monday that starts ISO week `week` of `year`, or null if that week does not exist. */
export function isoWeekStart(year: number, week: number): Date | null {
  const jan4 = utcDate(year, 1, 4);
  if (!jan4 || week < 1 || week > 53) return null;
  const monday = addDays(jan4, -((jan4.getUTCDay() + 6) % 7) + (week - 1) * 7);
  const check = isoWeek(monday);
  return check.year === year && check.week === week ? monday : null;
}
