import { formBody, pythonDumps, rawRequest } from "@/lib/scheduler/testing/http-client";

// Calls the scheduler the way Luigi's worker does (SPEC §1.2): POST /api/<method> with a
// urlencoded `data` field holding Python-style JSON; the reply's `response` is returned.

export class RpcStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

export async function rpc<T = unknown>(baseUrl: string, method: string, args: Record<string, unknown> = {}): Promise<T> {
  const res = await rawRequest(baseUrl, { method: "POST", path: `/api/${method}`, body: formBody(pythonDumps(args)), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  const text = res.body.toString("utf8");
  if (res.status !== 200) throw new RpcStatusError(res.status, text);
  return (JSON.parse(text) as { response: T }).response;
}
