// The runner's idea of "now" for triggers. Normally the wall clock; for demos and the
// simulated-day test a fast clock that starts at a chosen instant and runs `speed` times faster,
// so a whole day of triggers happens in minutes. Only triggering reads this clock: queue order,
// heartbeats and timeouts stay on real time.

export type Clock = { now(): Date; speed: number };

export const systemClock: Clock = { now: () => new Date(), speed: 1 };

export function createClock(speed = 1, startAt?: Date): Clock {
  if (speed === 1 && !startAt) return systemClock;
  const realStart = Date.now();
  const simStart = startAt ? startAt.getTime() : realStart;
  return { now: () => new Date(simStart + (Date.now() - realStart) * speed), speed };
}
