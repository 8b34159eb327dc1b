import { LuigiClient, LuigiRpcError } from "@/lib/luigi-rpc/client";

// Calls the scheduler the way Luigi's worker does (SPEC §1.2), through the one Luigi client
// (lib/luigi-rpc): POST /api/<method> with a urlencoded `data` field holding Python-style JSON; the
// reply's `response` is returned. One try and a fresh connection per call, so a test sees exactly
// what the scheduler answered (a crash test kills it between calls). The base URL may carry
// user:secret for a scheduler with auth.

export class RpcStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

const clients = new Map<string, LuigiClient>();

export async function rpc<T = unknown>(baseUrl: string, method: string, args: Record<string, unknown> = {}): Promise<T> {
  let client = clients.get(baseUrl);
  if (!client) clients.set(baseUrl, (client = new LuigiClient(baseUrl, { attempts: 1, timeoutMs: 120_000, keepAlive: false, userAgent: "python-requests/2.28.1" })));
  try {
    return (await client.call(method, args)) as T;
  } catch (error) {
    if (error instanceof LuigiRpcError && error.kind === "http") throw new RpcStatusError(error.status ?? 0, error.body);
    throw error;
  }
}
