import http from "node:http";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { loadAlertConfigOrLog } from "@/lib/alerts/alert-config";
import { startAlertLoop } from "@/lib/alerts/alert-loop";
import { parseTrustedProxies, pinClientAddress, TrustedProxiesError } from "@/lib/auth/client-address";
import { authSecret } from "@/lib/auth/secret";
import { parseArgs } from "@/lib/cli/args";
import { repoRoot } from "@/lib/paths";
import { PortTaken } from "@/lib/cli/errors";
import type { Command } from "@/lib/cli/command";
import { loadConfig } from "@/lib/config/env";
import { closePool, getPool } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { exitWhenParentDies, onShutdown } from "@/lib/cli/lifecycle";

// The dashboard is a Next.js production build served by our own small HTTP server, so the
// process shuts down gracefully on SIGTERM and exits if `switchyard start` (its parent) dies.
// It also runs the alert loop, as every runner does (rules evaluated by one process at a time,
// messages claimed with SKIP LOCKED): when the only runner is dead or crash-looping, no runner is
// left to say so, and the web is.

const root = repoRoot;

export const web: Command = {
  name: "web",
  summary: "Serve the dashboard and the control API from the production build (run `npm run build` first, or use `switchyard start`).",
  usage: "switchyard web [--port 3000] [--host 127.0.0.1]",
  flags: {
    port: { type: "port", help: "port to listen on (default PORT or 3000)" },
    host: { type: "string", help: "address to bind (default HOST or 127.0.0.1)" },
  },
  async run(argv) {
    const { flags } = parseArgs(argv, this.flags);
    const config = loadConfig();
    const logger = createLogger("web", config.logLevel);
    const port = (flags.port as number | undefined) ?? config.port;
    const host = (flags.host as string | undefined) ?? config.host;
    if (!process.env.DATABASE_URL) {
      logger.error("DATABASE_URL is not set; `switchyard start` sets it, or set it yourself");
      return 2;
    }
    const alertConfig = loadAlertConfigOrLog(logger);
    if (!alertConfig) return 2;
    let trustedProxies: ReturnType<typeof parseTrustedProxies>;
    try {
      trustedProxies = parseTrustedProxies(process.env.SWITCHYARD_TRUSTED_PROXIES);
    } catch (error) {
      if (!(error instanceof TrustedProxiesError)) throw error;
      logger.error(error.message);
      return 2;
    }
    if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
      logger.error("the dashboard is not built: run `npm run build` (switchyard start does this for you)");
      return 2;
    }
    // made now if this is the first start: sessions are signed with it and channel secrets sealed under it
    authSecret(config.home);
    const { default: next } = await import("next");
    const app = next({ dev: false, dir: root, hostname: host, port });
    await app.prepare();
    const handle = app.getRequestHandler();
    const server = http.createServer((req, res) => {
      // the sign-in rate limit and audit read X-Forwarded-For: only we write it (lib/auth/client-address.ts)
      pinClientAddress(req, trustedProxies);
      handle(req, res).catch((error: Error) => {
        logger.error("request failed", { url: req.url, error });
        if (!res.headersSent) res.writeHead(500).end("internal error");
      });
    });
    // Node closes an idle keep-alive connection after 5 s; a client (or a load balancer: 60 s on
    // most) reusing it just then gets ECONNRESET, or a 502. Idle connections are kept longer than theirs.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await listen(server, port, host);
    logger.info(`dashboard on http://${host}:${port}`);
    const alerts = startAlertLoop(getPool(), alertConfig, logger.child("alerts"), `web-${os.hostname()}-${process.pid}`);
    exitWhenParentDies(logger);
    await onShutdown(logger, async () => {
      await alerts.stop();
      // close() waits for open keep-alive connections: drop the idle ones now, the busy ones after a grace.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 3000).unref();
      await closed;
      await app.close?.();
      await closePool();
    });
    return 0;
  },
};

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new PortTaken(port, host, "PORT"));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
