import { ApiError } from "@/lib/api/errors";
import { lazySigningKey } from "@/lib/luigi-rpc/call-signature";
import { LuigiClient, LuigiRpcError } from "@/lib/luigi-rpc/client";

// The web app's calls to the scheduler through the one Luigi client (lib/luigi-rpc), with failures
// as the API's 502. One try, 5 s: a person is waiting. Every call is marked as audited by the web
// (call-signature.ts), so the scheduler does not write the dashboard's task actions a second time.

export { schedulerUrl } from "@/lib/luigi-rpc/url";

const clients = new Map<string, LuigiClient>();

/** The web app's client for one scheduler: one try, signed as audited by the web. */
export function webSchedulerClient(base: string, timeoutMs = 5_000): LuigiClient {
  const key = `${base} ${timeoutMs}`;
  let client = clients.get(key);
  if (!client) clients.set(key, (client = new LuigiClient(base, { attempts: 1, timeoutMs, userAgent: "switchyard-web", signingKey: lazySigningKey() })));
  return client;
}

export async function callScheduler(base: string, method: string, args: Record<string, unknown>, timeoutMs = 5_000): Promise<unknown> {
  try {
    return await webSchedulerClient(base, timeoutMs).call(method, args);
  } catch (error) {
    if (error instanceof LuigiRpcError) throw new ApiError(502, "scheduler_unreachable", error.message);
    throw error;
  }
}
