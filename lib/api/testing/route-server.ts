import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

// Serves Next route handlers over real HTTP for integration tests, without a production build:
// each request is read off the socket, handed to the route's handler as a NextRequest, and its
// Response written back (every Set-Cookie kept). Routes are matched by a path pattern whose
// named groups become the route's params, like the app router's [name] folders.

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
export type Route = { pattern: RegExp; module: Record<string, unknown> };
export type RouteServer = { url: string; close(): Promise<void> };

export async function serveRoutes(routes: Route[]): Promise<RouteServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const route = routes.find((r) => r.pattern.test(url.pathname));
      const handler = route?.module[req.method ?? "GET"] as Handler | undefined;
      if (!route || !handler) {
        res.writeHead(404).end();
        return;
      }
      const params = Object.fromEntries(Object.entries(route.pattern.exec(url.pathname)?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String((error as Error).stack ?? error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
