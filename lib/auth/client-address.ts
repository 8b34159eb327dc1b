import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

// Who is calling the dashboard, as better-auth's sign-in rate limit (3 tries in 10 s per address)
// and the sign-in audit see it. Both read X-Forwarded-For, and Next.js keeps whatever the client
// sent there (it only fills it in when absent): a client that sent a new made-up address with
// every try could guess passwords without limit, and write any address into the audit log. So
// `switchyard web` sets the header itself before Next.js sees the request: to the connection's
// address, or — when that connection comes from a proxy named in SWITCHYARD_TRUSTED_PROXIES (an
// ingress controller, a load balancer) — to the address that proxy says it serves, read from the
// right of the chain past every trusted hop.

export class TrustedProxiesError extends Error {}

/** SWITCHYARD_TRUSTED_PROXIES: addresses and CIDR ranges, comma-separated ("10.0.0.0/8, 192.168.1.7"); null when unset. */
export function parseTrustedProxies(text: string | undefined): BlockList | null {
  if (text === undefined || text.trim() === "") return null;
  const list = new BlockList();
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [address, bits, extra] = item.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= (family === 6 ? 128 : 32))) {
      throw new TrustedProxiesError(`SWITCHYARD_TRUSTED_PROXIES: "${item}" is not an IP address or a CIDR range (like 10.0.0.0/8 or 192.168.1.7)`);
    }
    list.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

/** An IPv4 address as Node shows it on a dual-stack socket ("::ffff:10.0.0.1") is the IPv4 one. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

const trusts = (list: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
};

/** The caller's address: the connection's, or past trusted proxies, the nearest one they forwarded for. */
export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, trusted: BlockList | null): string {
  const peer = plain(req.socket.remoteAddress ?? "unknown");
  if (!trusted || !trusts(trusted, peer)) return peer;
  const header = req.headers["x-forwarded-for"];
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => plain(s.trim())).filter(Boolean);
  let client = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    // a hop that is not an address at all ends the chain there: what is left of it was not written by a proxy we trust
    if (isIP(chain[i]) === 0) break;
    client = chain[i];
    if (!trusts(trusted, client)) break;
  }
  return client;
}

/** Rewrites the request's forwarding headers to the one address we believe (before Next.js and better-auth read them). */
export function pinClientAddress(req: IncomingMessage, trusted: BlockList | null): void {
  req.headers["x-forwarded-for"] = clientAddress(req, trusted);
  delete req.headers["x-real-ip"];
}
