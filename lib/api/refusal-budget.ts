// Refused requests are recorded in the audit log, but a script hammering the API without a token
// must not be able to fill it: each caller (a user, a token, or "anonymous" as one) gets a budget
// of rows per minute; what goes over is counted and the count rides on the next row recorded, so
// the log still says how much was refused — in one row, not ten thousand.

export type RefusalBudget = { take(caller: string, now?: number): { record: boolean; suppressed: number } };

export function createRefusalBudget(perMinute = 20, maxCallers = 10_000): RefusalBudget {
  const windows = new Map<string, { start: number; used: number; suppressed: number }>();
  return {
    take(caller, now = Date.now()) {
      let w = windows.get(caller);
      if (!w || now - w.start >= 60_000) {
        if (!w && windows.size >= maxCallers) windows.clear(); // bounded memory under a spray of callers
        w = { start: now, used: 0, suppressed: w?.suppressed ?? 0 };
        windows.set(caller, w);
      }
      if (w.used >= perMinute) {
        w.suppressed++;
        return { record: false, suppressed: 0 };
      }
      w.used++;
      const suppressed = w.suppressed;
      w.suppressed = 0;
      return { record: true, suppressed };
    },
  };
}
