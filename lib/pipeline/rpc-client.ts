import { LuigiClient, LuigiRpcError, type LuigiClientOptions } from "@/lib/luigi-rpc/client";

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

/** Luigi's defaults, overridable from the environment (a runner may want to give up sooner). */
export function transportOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTransportOptions {
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min} (got ${JSON.stringify(raw)})`);
    return n;
  };
  return {
    attempts: num("SWITCHYARD_RPC_RETRY_ATTEMPTS", 3, 1),
    retryWaitMs: num("SWITCHYARD_RPC_RETRY_WAIT", 30, 0) * 1000,
    timeoutMs: num("SWITCHYARD_RPC_TIMEOUT", 10, 0.1) * 1000,
  };
}

export { parseSchedulerUrl } from "@/lib/luigi-rpc/url";

/** The worker's transport: the one Luigi client (lib/luigi-rpc), with Luigi's retry policy. */
export class HttpTransport implements SchedulerTransport {
  private readonly client: LuigiClient;
  private readonly attempts: number;

  constructor(baseUrl: string, options: HttpTransportOptions = {}) {
    this.attempts = options.attempts ?? 3;
    this.client = new LuigiClient(baseUrl, { ...options, userAgent: "switchyard-worker" });
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
