import http from "node:http";
import type { Duplex } from "node:stream";
import type { ServerOptions } from "@/lib/scheduler/config";

// The node:http server with deliberate limits ([switchyard] options, issue 10): a 16 KiB header
// cap (Node's default; luigid's Tornado allows 64 KiB, we had 1 MiB), a headers timeout against
// slow-header clients, a whole-request timeout, a keep-alive timeout longer than load balancers'
// idle timeouts, and a cap on open connections. A malformed or oversized request gets a short
// HTTP answer (431, 408, 400) before the connection is closed, instead of a bare reset.

export function createHttpServer(limits: ServerOptions, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      maxHeaderSize: limits.max_header_bytes,
      headersTimeout: limits.headers_timeout * 1000,
      // Node requires requestTimeout >= headersTimeout (0 would disable it).
      requestTimeout: Math.max(limits.request_timeout, limits.headers_timeout) * 1000,
      keepAliveTimeout: limits.keep_alive_timeout * 1000,
    },
    handler,
  );
  server.keepAliveTimeout = limits.keep_alive_timeout * 1000;
  server.maxConnections = limits.max_connections;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && !(socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}
