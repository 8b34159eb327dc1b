import { describe, expect, it } from "vitest";
import { QUICK_RETRY_WAITS, quickRetryWaitMs, transportOptionsFromEnv } from "./rpc-client";

// The worker's retry policy from its environment: Luigi's when asked for, else a backoff as
// patient as Luigi's default whose first retries come within a second.

describe("transportOptionsFromEnv", () => {
  it("without SWITCHYARD_RPC_RETRY_*: 8 tries, pauses from 0.5 s to 30 s, ±20 %, a minute of patience in all", () => {
    const o = transportOptionsFromEnv({});
    expect(o.attempts).toBe(8);
    expect(o.timeoutMs).toBe(10_000);
    const wait = o.retryWaitMs as (attempt: number) => number;
    for (let attempt = 1; attempt < 8; attempt++) {
      const nominal = QUICK_RETRY_WAITS[attempt - 1] * 1000;
      expect(wait(attempt)).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(wait(attempt)).toBeLessThanOrEqual(nominal * 1.2);
    }
    expect(QUICK_RETRY_WAITS.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60); // Luigi: 2 pauses of 30 s
    expect([quickRetryWaitMs(1, () => 0), quickRetryWaitMs(1, () => 1), quickRetryWaitMs(7, () => 0.5)]).toEqual([400, 600, 30_000]);
  });

  it("with either variable set: Luigi's fixed policy, its default for the other", () => {
    expect(transportOptionsFromEnv({ SWITCHYARD_RPC_RETRY_WAIT: "1" })).toMatchObject({ attempts: 3, retryWaitMs: 1000 });
    expect(transportOptionsFromEnv({ SWITCHYARD_RPC_RETRY_ATTEMPTS: "5" })).toMatchObject({ attempts: 5, retryWaitMs: 30_000 });
    expect(transportOptionsFromEnv({ SWITCHYARD_RPC_RETRY_ATTEMPTS: " ", SWITCHYARD_RPC_RETRY_WAIT: "" }).attempts).toBe(8);
  });

  it("refuses a value that is not a number, naming the variable", () => {
    expect(() => transportOptionsFromEnv({ SWITCHYARD_RPC_RETRY_WAIT: "soon" })).toThrow('SWITCHYARD_RPC_RETRY_WAIT must be a number >= 0 (got "soon")');
    expect(() => transportOptionsFromEnv({ SWITCHYARD_RPC_TIMEOUT: "0" })).toThrow("SWITCHYARD_RPC_TIMEOUT must be a number >= 0.1");
  });
});
