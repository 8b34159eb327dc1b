import net from "node:net";
import type { AddressInfo } from "node:net";

// A TCP proxy in front of PostgreSQL that can cut its connections the way a failover or a dropped
// NAT entry does: the sockets stay open and nothing more gets through, in either direction, with
// no reset to tell either end. Connections made after the cut go through again (the database is
// reachable by a new route), so what a test sees is whether a client gives up on the dead ones —
// unless refuse(true) has the proxy close every new one, for as long as the database is to be away.

export type BlackholeProxy = {
  /** `url` with its host and port replaced by the proxy's */
  urlFor(url: string): string;
  /**
   * Every connection open now goes silent for good. `serverNotices`: the database's end is closed
   * (as its TCP keepalives would find the client gone within seconds); otherwise the server keeps
   * the sessions, and their locks, as it does when its keepalive probes are still answered.
   */
  cut(options?: { serverNotices?: boolean }): void;
  /** while true, a new connection is closed at once (the database refuses): with cut(), it is unreachable */
  refuse(refusing: boolean): void;
  close(): Promise<void>;
};

export async function startBlackholeProxy(target: { host: string; port: number }): Promise<BlackholeProxy> {
  const open = new Set<{ client: net.Socket; server: net.Socket; dead: boolean }>();
  const cutOff: Array<{ client: net.Socket; server: net.Socket }> = [];
  let refusing = false;
  const proxy = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const server = net.connect(target.port, target.host);
    const pair = { client, server, dead: false };
    open.add(pair);
    client.on("data", (d) => void (pair.dead || server.write(d)));
    server.on("data", (d) => void (pair.dead || client.write(d)));
    const end = () => {
      open.delete(pair);
      client.destroy();
      server.destroy();
    };
    for (const s of [client, server]) {
      s.on("error", end);
      s.on("close", () => void (pair.dead || end()));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    urlFor(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut(options) {
      for (const pair of open) {
        pair.dead = true;
        if (options?.serverNotices) pair.server.destroy();
        // a dead route delivers nothing: the ends' closes and resets are swallowed too
        pair.client.removeAllListeners("close");
        pair.server.removeAllListeners("close");
        cutOff.push(pair);
      }
      open.clear();
    },
    refuse(value) {
      refusing = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const pair of [...open, ...cutOff]) {
          pair.client.destroy();
          pair.server.destroy();
        }
      }),
  };
}
