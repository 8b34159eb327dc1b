import { describe, expect, it } from "vitest";
import { numberText } from "@/lib/scheduler/core/serialize";

describe("numberText", () => {
  it("writes every number exactly as String() does, timestamps through the fast path", () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [0, -0, 0.001, 0.01, 0.1, 0.5, 1e-7, 123.4, 999999999999.999, 1e12, 1e21, 5e-324, -1.5, NaN, Infinity, -Infinity, 1796159764.962, 1796159764.5];
    for (let i = 0; i < 20000; i++) samples.push(Math.floor(random() * 2e12) / 1000, random() * 1e12, 1.7e9 + random(), i / 100);
    for (const x of samples) expect(numberText(x)).toBe(String(x));
  });
});
