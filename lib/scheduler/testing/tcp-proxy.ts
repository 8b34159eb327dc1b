import net from "node:net";

// A loopback TCP proxy a test can cut and restore, to take a real PostgreSQL "away" from the
// scheduler without stopping it; or make it lose the reply to one message (the request reaches
// PostgreSQL, then that client's connection drops before the answer comes back).

export type TcpProxy = {
  port: number;
  cut(): void;
  restore(): void;
  /** The next client→server chunk holding `text` is delivered, then that connection drops before any reply. */
  loseReplyTo(text: string): void;
  close(): Promise<void>;
};

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true;
  let lose: string | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    let losing = false;
    client.on("data", (chunk) => {
      upstream.write(chunk);
      if (lose !== null && chunk.includes(lose)) {
        lose = null;
        losing = true;
        upstream.end(); // the message is delivered, then the server sees the connection end
        client.destroy();
      }
    });
    upstream.pipe(client);
    client.on("close", () => void (losing || upstream.destroy()));
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    loseReplyTo(text: string) {
      lose = text;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of a database URL, and the URL that goes through it. */
export async function proxyDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const u = new URL(databaseUrl);
  const proxy = await startTcpProxy(u.hostname, Number(u.port));
  u.port = String(proxy.port);
  return { proxy, url: u.toString() };
}
