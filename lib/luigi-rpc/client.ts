import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { signCall, SIGNATURE_HEADER } from "@/lib/luigi-rpc/call-signature";
import { parsePythonJson, pyJsonDumps } from "@/lib/luigi-rpc/python-json";
import { basicAuthOf, parseSchedulerUrl, redactUrl } from "@/lib/luigi-rpc/url";

// The one client of Luigi's RPC (SPEC §1), used by the worker SDK, the runner, the dashboard and the
// scheduler's tests: POST /api/<method> with a form body `data=<json.dumps(args)>`, reply
// `{"response": …}`. Retries follow Luigi's RemoteScheduler (§1.4): `attempts` tries in total with
// a fixed pause (or one per try: the worker SDK's default backs off), a transport error or a 5xx
// counting as a failed try. Unlike Luigi, a 4xx is not
// retried: a refused call (401, 403, 404) gets the same answer 30 s later. Credentials in the URL
// (http://user:secret@host:8082) are sent as Basic auth. node:http rather than fetch: fetch refuses
// URLs with credentials, and Next.js patches fetch with a cache.

const gunzip = promisify(zlib.gunzip);

export type LuigiClientOptions = {
  /** tries per call, Luigi's [core] rpc_retry_attempts (3) */
  attempts?: number;
  /** pause between tries, Luigi's [core] rpc_retry_wait (30 s); a function gives the pause after each failed try (1, 2, …) */
  retryWaitMs?: number | ((attempt: number) => number);
  /** per-try timeout, Luigi's [core] rpc_connect_timeout (10 s) */
  timeoutMs?: number;
  /** keep connections open between calls, as Luigi's requests session does (default true) */
  keepAlive?: boolean;
  userAgent?: string;
  /** key that marks calls this part has audited itself (call-signature.ts); a function is asked per call */
  signingKey?: Buffer | (() => Buffer | undefined);
  onRetry?: (method: string, attempt: number, error: Error) => void;
};

/** Why a call failed: `unreachable` (network, timeout), `http` (non-2xx, with status and body), `reply` (not Luigi's envelope). */
export class LuigiRpcError extends Error {
  constructor(
    readonly method: string,
    readonly kind: "unreachable" | "http" | "reply",
    message: string,
    readonly status: number | null = null,
    readonly body = "",
    /** the short cause: ECONNREFUSED, "HTTP 503", "no answer within 5000 ms" */
    readonly reason = message,
  ) {
    super(message);
    this.name = "LuigiRpcError";
  }
}

export class LuigiClient {
  readonly url: string;
  private readonly base: URL;
  private readonly auth: string | undefined;
  private readonly agent: http.Agent;
  private readonly o: Required<Omit<LuigiClientOptions, "onRetry" | "signingKey">> & Pick<LuigiClientOptions, "onRetry" | "signingKey">;

  constructor(baseUrl: string, options: LuigiClientOptions = {}) {
    const url = parseSchedulerUrl(baseUrl);
    this.auth = basicAuthOf(url);
    url.username = "";
    url.password = "";
    // A base with a path prefix ("http://h/luigi") keeps it: http://h/luigi/api/<method>.
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    this.base = url;
    this.url = redactUrl(baseUrl.replace(/\/+$/, ""));
    this.o = { attempts: 3, retryWaitMs: 30_000, timeoutMs: 10_000, keepAlive: true, userAgent: "switchyard", ...options };
    const Agent = url.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: this.o.keepAlive, maxSockets: 8 });
  }

  /** One RPC: the `response` of the reply. Throws LuigiRpcError after the last failed try. */
  async call(method: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const data = pyJsonDumps(args);
    let last: LuigiRpcError = new LuigiRpcError(method, "unreachable", "not tried");
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      try {
        return await this.once(method, data);
      } catch (error) {
        last = error as LuigiRpcError;
        const retryable = last.kind === "unreachable" || (last.kind === "http" && (last.status ?? 0) >= 500);
        if (!retryable || attempt === this.o.attempts) break;
        this.o.onRetry?.(method, attempt, last);
        const wait = typeof this.o.retryWaitMs === "function" ? this.o.retryWaitMs(attempt) : this.o.retryWaitMs;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    throw last;
  }

  close(): void {
    this.agent.destroy();
  }

  private async once(method: string, data: string): Promise<unknown> {
    const target = new URL(`api/${method}`, this.base);
    const body = new URLSearchParams({ data }).toString();
    const headers: Record<string, string> = {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(Buffer.byteLength(body)),
      "Accept-Encoding": "gzip",
      "User-Agent": this.o.userAgent,
    };
    if (this.auth) headers.Authorization = this.auth;
    const key = typeof this.o.signingKey === "function" ? this.o.signingKey() : this.o.signingKey;
    if (key) headers[SIGNATURE_HEADER] = signCall(key, method, data);
    const res = await this.send(method, target, headers, body);
    const text = res.encoding === "gzip" ? (await gunzip(res.body)).toString("utf8") : res.body.toString("utf8");
    if (res.status < 200 || res.status > 299) {
      const reason = `HTTP ${res.status}${errorDetail(text)}`;
      throw new LuigiRpcError(method, "http", `${method}: ${reason} from the scheduler at ${this.url}`, res.status, text, reason);
    }
    let parsed: unknown;
    try {
      parsed = parsePythonJson(text);
    } catch {
      throw new LuigiRpcError(method, "reply", `${method}: the answer from ${this.url} is not JSON: ${text.slice(0, 80)}`, res.status, text);
    }
    if (typeof parsed !== "object" || parsed === null || !("response" in parsed)) throw new LuigiRpcError(method, "reply", `${method}: the answer from ${this.url} has no "response"`, res.status, text);
    return (parsed as { response: unknown }).response;
  }

  private send(method: string, target: URL, headers: Record<string, string>, body: string): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
    const lib = target.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        const reason = (error as NodeJS.ErrnoException).code ?? error.message;
        reject(new LuigiRpcError(method, "unreachable", `${method}: the scheduler at ${this.url} did not answer: ${reason}`, null, "", reason));
      };
      const req = lib.request(target, { method: "POST", headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) });
        });
        res.on("error", fail);
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
      req.on("error", (error) => {
        clearTimeout(timer);
        fail(error);
      });
      req.end(body);
    });
  }
}

/** Switchyard's scheduler explains an error in JSON ({"error": {"message"}}); luigid sends an HTML page. */
function errorDetail(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === "string" ? `: ${message}` : "";
  } catch {
    return "";
  }
}
