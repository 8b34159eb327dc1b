import { LuigiClient, LuigiRpcError, type LuigiClientOptions } from "@/lib/luigi-rpc/client";
import { workerLogger } from "./run-log";

// The worker's side of luigid's RPC (SPEC §1), through the one client in lib/luigi-rpc: a call is
// tried `attempts` times with a fixed pause between tries, like Luigi's RemoteScheduler. It speaks
// to any luigid.

export interface SchedulerTransport {
  call(method: string, args: Record<string, unknown>): Promise<unknown>;
  close?(): Promise<void>;
}

export class RpcError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(`scheduler call ${method} failed: ${message}`);
    this.name = "RpcError";
  }
}

export type HttpTransportOptions = Pick<LuigiClientOptions, "attempts" | "retryWaitMs" | "timeoutMs" | "onRetry">;

/**
 * The pauses between tries when neither SWITCHYARD_RPC_RETRY_ATTEMPTS nor SWITCHYARD_RPC_RETRY_WAIT
 * is set, in seconds: as patient as Luigi's default (3 tries, 30 s apart: a minute of waiting) —
 * 60.5 s over 8 tries — but the first retry comes after half a second, so a scheduler restarted
 * by its supervisor or taken over by a standby (1–2 s) costs a run about that long, not 30 s.
 */
export const QUICK_RETRY_WAITS = [0.5, 1, 2, 4, 8, 15, 30] as const;

/** Each pause ± 20 %, so that the workers of a fleet that all lost the scheduler at once do not all come back in the same instant. */
export function quickRetryWaitMs(attempt: number, random: () => number = Math.random): number {
  const seconds = QUICK_RETRY_WAITS[Math.min(attempt, QUICK_RETRY_WAITS.length) - 1];
  return Math.round(seconds * 1000 * (0.8 + 0.4 * random()));
}

/**
 * The worker's retry policy: Luigi's (tries × a fixed pause) when the environment sets either
 * variable, with Luigi's defaults for the other; else QUICK_RETRY_WAITS.
 */
export function transportOptionsFromEnv(env: Record<string, string | undefined> = process.env): HttpTransportOptions {
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min} (got ${JSON.stringify(raw)})`);
    return n;
  };
  const timeoutMs = num("SWITCHYARD_RPC_TIMEOUT", 10, 0.1) * 1000;
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  if (!set("SWITCHYARD_RPC_RETRY_ATTEMPTS") && !set("SWITCHYARD_RPC_RETRY_WAIT")) return { attempts: QUICK_RETRY_WAITS.length + 1, retryWaitMs: (attempt) => quickRetryWaitMs(attempt), timeoutMs };
  return {
    attempts: num("SWITCHYARD_RPC_RETRY_ATTEMPTS", 3, 1),
    retryWaitMs: num("SWITCHYARD_RPC_RETRY_WAIT", 30, 0) * 1000,
    timeoutMs,
  };
}

export { parseSchedulerUrl } from "@/lib/luigi-rpc/url";

/** The worker's transport: the one Luigi client (lib/luigi-rpc), with Luigi's retry policy. */
export class HttpTransport implements SchedulerTransport {
  private readonly client: LuigiClient;
  private readonly attempts: number;

  constructor(baseUrl: string, options: HttpTransportOptions = {}) {
    this.attempts = options.attempts ?? 3;
    // as Luigi's worker says each retry: a run that stalls on its scheduler says why in its log
    const log = workerLogger("switchyard run");
    const onRetry = options.onRetry ?? ((method: string, attempt: number, error: Error) => log.warn(`scheduler call ${method} failed (${(error as LuigiRpcError).reason ?? error.message}); trying again, ${attempt + 1} of ${this.attempts}`));
    this.client = new LuigiClient(baseUrl, { ...options, onRetry, userAgent: "switchyard-worker" });
  }

  get url(): string {
    return this.client.url;
  }

  async call(method: string, args: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.client.call(method, args);
    } catch (error) {
      if (error instanceof LuigiRpcError) throw new RpcError(method, `${error.reason} (after ${error.kind === "http" && (error.status ?? 0) < 500 ? 1 : this.attempts} tries)`);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
