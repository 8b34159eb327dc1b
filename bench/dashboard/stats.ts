export type Summary = { p50: number; p95: number; max: number; n: number };

/** Nearest-rank percentiles, rounded to 0.1 ms. */
export function summarize(times: number[]): Summary {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const r = (v: number) => Math.round(v * 10) / 10;
  return { p50: r(at(0.5)), p95: r(at(0.95)), max: r(s[s.length - 1]), n: s.length };
}
