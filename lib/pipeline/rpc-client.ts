import { parsePythonJson, pyJsonDumps } from "./python-format";

// The worker's side of luigid's RPC (SPEC §1): POST /api/<method> with a form body
// `data=<urlencoded JSON of every keyword argument>`, answer `{"response": ...}`. Like Luigi's
// RemoteScheduler, a call is tried `attempts` times with a fixed pause between tries, and any
// transport error or non-2xx status counts as a failed try. It speaks to any luigid.

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

export type HttpTransportOptions = {
  /** tries per call, Luigi's [core] rpc_retry_attempts (3) */
  attempts?: number;
  /** pause between tries, Luigi's [core] rpc_retry_wait (30 s) */
  retryWaitMs?: number;
  /** per-try timeout, Luigi's [core] rpc_connect_timeout (10 s) */
  timeoutMs?: number;
  onRetry?: (method: string, attempt: number, error: Error) => void;
};

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

/** Validates a --scheduler-url; throws a one-line reason. */
export function parseSchedulerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--scheduler-url: ${JSON.stringify(text)} is not a URL (expected e.g. http://127.0.0.1:8082)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--scheduler-url: only http:// and https:// are supported (got ${url.protocol})`);
  return url;
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause. */
function withCause(error: Error): Error {
  if (error.name === "TimeoutError") return new Error("no answer within the timeout");
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? new Error(`${error.message}: ${cause.code ?? cause.message}`) : error;
}

export class HttpTransport implements SchedulerTransport {
  private readonly base: URL;
  private readonly auth: string | undefined;
  private readonly options: Required<Omit<HttpTransportOptions, "onRetry">> & Pick<HttpTransportOptions, "onRetry">;

  constructor(baseUrl: string, options: HttpTransportOptions = {}) {
    const url = parseSchedulerUrl(baseUrl);
    // fetch() refuses URLs with credentials; like Luigi's urllib fetcher, send them as Basic auth.
    if (url.username || url.password) {
      this.auth = "Basic " + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
      url.username = "";
      url.password = "";
    }
    // A base with a path prefix ("http://h/luigi") keeps it: http://h/luigi/api/<method>.
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    this.base = url;
    this.options = { attempts: 3, retryWaitMs: 30_000, timeoutMs: 10_000, ...options };
  }

  get url(): string {
    return this.base.toString();
  }

  async call(method: string, args: Record<string, unknown>): Promise<unknown> {
    const url = new URL(`api/${method}`, this.base);
    const body = new URLSearchParams({ data: pyJsonDumps(args) }).toString();
    let lastError: Error = new Error("not tried");
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      try {
        return await this.once(url, body);
      } catch (error) {
        lastError = withCause(error as Error);
        if (attempt < this.options.attempts) {
          this.options.onRetry?.(method, attempt, lastError);
          await new Promise((r) => setTimeout(r, this.options.retryWaitMs));
        }
      }
    }
    throw new RpcError(method, `${lastError.message} (after ${this.options.attempts} tries)`);
  }

  private async once(url: URL, body: string): Promise<unknown> {
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "switchyard-worker" };
    if (this.auth) headers.Authorization = this.auth;
    const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url.pathname}`);
    let parsed: unknown;
    try {
      parsed = parsePythonJson(text);
    } catch {
      throw new Error(`answer from ${url.pathname} is not JSON: ${text.slice(0, 80)}`);
    }
    if (typeof parsed !== "object" || parsed === null || !("response" in parsed)) throw new Error(`answer from ${url.pathname} has no "response"`);
    return (parsed as { response: unknown }).response;
  }
}
