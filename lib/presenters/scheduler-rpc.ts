import { ApiError } from "@/lib/api/errors";

// The web app's one way to talk to the scheduler: Luigi's RPC over HTTP (luigi-protocol SPEC.md
// §1: POST /api/<method>, body data=<JSON>, answer {"response": …}). Nothing of lib/scheduler is
// imported, so the dashboard works the same against a real luigid.

/** `SCHEDULER_URL` (set by `switchyard start`), else the scheduler on this machine at SCHEDULER_PORT. */
export function schedulerUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.SCHEDULER_URL || `http://127.0.0.1:${env.SCHEDULER_PORT || "8082"}`).replace(/\/+$/, "");
}

export async function callScheduler(base: string, method: string, args: Record<string, unknown>, timeoutMs = 5_000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${base}/api/${method}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `data=${encodeURIComponent(JSON.stringify(args))}`,
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(502, "scheduler_unreachable", `the scheduler at ${base} did not answer: ${(error as Error).message}`);
  }
  if (!res.ok) throw new ApiError(502, "scheduler_error", `the scheduler answered HTTP ${res.status} to ${method}`);
  const body = (await res.json().catch(() => null)) as { response?: unknown } | null;
  if (!body || !("response" in body)) throw new ApiError(502, "scheduler_error", `the scheduler's answer to ${method} is not {"response": …}`);
  return body.response;
}
