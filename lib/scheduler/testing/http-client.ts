import http from "node:http";
import { pyJsonDumps } from "@/lib/luigi-rpc/python-json";

// A minimal HTTP client for tests that must control the exact wire form (verb, raw query, raw
// body, headers) — fetch() would add or normalise some of it.

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export function rawRequest(baseUrl: string, opts: { method: string; path: string; query?: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: opts.method, path: opts.path + (opts.query ? `?${opts.query}` : ""), headers: { ...opts.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.setHeader("Content-Length", Buffer.byteLength(opts.body));
    req.end(opts.body);
  });
}

/** Python json.dumps default style (what Luigi workers send), from the one codec. */
export const pythonDumps = (value: unknown): string => pyJsonDumps(value);

export function formBody(data: string): string {
  return "data=" + encodeURIComponent(data).replace(/%20/g, "+");
}
