import type { GridColumn, GridRowModel } from "@/components/grid/status-grid-client";
import type { ServiceData } from "@/lib/presenters/get-service-data";
import { LETTER_LABELS, type PeriodLetter } from "@/lib/presenters/period-status";

// A service's 90 days as a calendar: one row per week (Monday first), one column per weekday.
// Days before the range or after today are blank cells, labelled as such.

export const WEEKDAY_COLUMNS: GridColumn[] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((d) => ({ key: d, label: d, title: d }));

const weekday = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0

export function calendarRows(name: string, calendar: ServiceData["calendar"]): GridRowModel[] {
  const rows: GridRowModel[] = [];
  const lead = weekday(calendar.dates[0]);
  const total = lead + calendar.dates.length;
  for (let start = 0; start < total; start += 7) {
    let cells = "";
    const hrefs: Array<string | null> = [];
    const labels: Array<string | null> = [];
    let first: string | null = null;
    for (let col = 0; col < 7; col++) {
      const i = start + col - lead;
      const date = calendar.dates[i];
      if (date === undefined) {
        cells += " ";
        hrefs.push(null);
        labels.push(`${WEEKDAY_COLUMNS[col].title}: outside the 90 days shown`);
        continue;
      }
      first ??= date;
      const letter = calendar.cells[i] as PeriodLetter;
      const id = calendar.runIds[i];
      const tries = calendar.attempts[i] > 1 ? `, ${calendar.attempts[i]} runs` : "";
      cells += letter;
      hrefs.push(id === null ? null : `/runs/${id}`);
      labels.push(`${name}, ${date}: ${LETTER_LABELS[letter]}${tries}`);
    }
    rows.push({ key: first ?? String(start), name: `week of ${first}`, href: null, cells, hrefs, cellLabels: labels });
  }
  return rows;
}
