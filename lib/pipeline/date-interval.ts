import { addDays, formatIsoDate, isoWeek, isoWeekStart, parseIsoDate, utcDate } from "./dates";

// luigi.date_interval: a half-open range of days [dateA, dateB) written as a day ("2026-11-22"),
// an ISO week ("2026-W47"), a month ("2026-11"), a year ("2026") or a custom range
// ("2026-11-01-2026-11-08", end exclusive). The text form is part of task ids, so it must match
// Luigi's to_string() exactly.

export type DateIntervalKind = "date" | "week" | "month" | "year" | "custom";

export class DateInterval {
  constructor(
    readonly kind: DateIntervalKind,
    /** first day (00:00 UTC) */
    readonly dateA: Date,
    /** day after the last one (exclusive) */
    readonly dateB: Date,
  ) {}

  /** Every day in the interval, in order. */
  dates(): Date[] {
    const out: Date[] = [];
    for (let d = this.dateA; d < this.dateB; d = addDays(d, 1)) out.push(d);
    return out;
  }

  toString(): string {
    const a = this.dateA;
    switch (this.kind) {
      case "date":
        return formatIsoDate(a);
      case "week": {
        const { year, week } = isoWeek(a);
        return `${year}-W${String(week).padStart(2, "0")}`;
      }
      case "month":
        return formatIsoDate(a).slice(0, 7);
      case "year":
        return String(a.getUTCFullYear());
      case "custom":
        return `${formatIsoDate(a)}-${formatIsoDate(this.dateB)}`;
    }
  }

  static ofDate(day: Date): DateInterval {
    return new DateInterval("date", day, addDays(day, 1));
  }

  /** Luigi tries Year, Month, Week, Date, then Custom; null if none matches. */
  static parse(text: string): DateInterval | null {
    const s = text.trim();
    let m: RegExpExecArray | null;
    if (/^\d{4}$/.test(s)) {
      const y = Number(s);
      return new DateInterval("year", utcDate(y, 1, 1)!, utcDate(y + 1, 1, 1)!);
    }
    if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const a = utcDate(y, mo, 1);
      if (!a) return null;
      return new DateInterval("month", a, mo === 12 ? utcDate(y + 1, 1, 1)! : utcDate(y, mo + 1, 1)!);
    }
    if ((m = /^(\d{4})-W(\d{2})$/.exec(s))) {
      const a = isoWeekStart(Number(m[1]), Number(m[2]));
      return a ? new DateInterval("week", a, addDays(a, 7)) : null;
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      const a = parseIsoDate(s);
      return a ? DateInterval.ofDate(a) : null;
    }
    if ((m = /^(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})$/.exec(s))) {
      const a = parseIsoDate(m[1]);
      const b = parseIsoDate(m[2]);
      return a && b && a < b ? new DateInterval("custom", a, b) : null;
    }
    return null;
  }
}
