// Luigi's RPC as a client speaks it (luigi-protocol SPEC.md §1: POST /api/<method>, body
// data=<urlencoded JSON>, reply {"response": …}). The runner and the dashboard talk to the
// scheduler only through this, importing nothing of lib/scheduler, so both work the same
// against Switchyard's scheduler and a real luigid.

export class SchedulerUnreachable extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`the scheduler at ${url} did not answer: ${(cause as Error)?.message ?? cause}`);
    this.name = "SchedulerUnreachable";
  }
}

/** `SCHEDULER_URL` (set by `switchyard start`), else the scheduler on this machine at SCHEDULER_PORT. */
export function schedulerUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.SCHEDULER_URL || `http://127.0.0.1:${env.SCHEDULER_PORT || "8082"}`).replace(/\/+$/, "");
}

/** One RPC; the `response` of the reply (null when it has none). Network errors and non-2xx answers throw SchedulerUnreachable. */
export async function callLuigi(url: string, method: string, args: Record<string, unknown>, timeoutMs = 5_000): Promise<unknown> {
  const base = url.replace(/\/+$/, "");
  let response: Response;
  try {
    response = await fetch(`${base}/api/${method}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `data=${encodeURIComponent(JSON.stringify(args))}`,
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    throw new SchedulerUnreachable(base, error);
  }
  if (!response.ok) throw new SchedulerUnreachable(base, new Error(`HTTP ${response.status} from ${method}`));
  const text = await response.text();
  let body: unknown;
  try {
    body = parseLenient(text);
  } catch {
    throw new SchedulerUnreachable(base, new Error(`the answer to ${method} is not JSON`));
  }
  return (body as { response?: unknown } | null)?.response ?? null;
}

/** Python's json may write NaN and Infinity (SPEC.md §1.3); read them as null rather than fail. */
function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/(?<=[:\[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, "null"));
  }
}
