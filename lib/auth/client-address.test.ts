import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies, TrustedProxiesError } from "@/lib/auth/client-address";

// Which address the dashboard believes: the connection's, unless it comes from a trusted proxy.
// (The whole path — a made-up X-Forwarded-For against the real `switchyard web` and better-auth's
// rate limit — is in security-routes.test.ts.)

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } }) as unknown as IncomingMessage;

describe("clientAddress", () => {
  it("believes no X-Forwarded-For without trusted proxies: anyone can send one", () => {
    expect(clientAddress(request("203.0.113.9", "10.9.0.1"), null)).toBe("203.0.113.9");
    expect(clientAddress(request("::ffff:127.0.0.1", "1.2.3.4"), null)).toBe("127.0.0.1");
    expect(clientAddress(request("203.0.113.9", "10.9.0.1"), parseTrustedProxies("10.0.0.0/8"))).toBe("203.0.113.9");
  });

  it("from a trusted proxy, takes the nearest address it forwarded for, past every trusted hop", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.7");
    expect(clientAddress(request("10.1.2.3", "198.51.100.4"), trusted)).toBe("198.51.100.4");
    // the client's own made-up first hop is left of the one the proxy wrote: not believed
    expect(clientAddress(request("10.1.2.3", "6.6.6.6, 198.51.100.4, 192.168.1.7"), trusted)).toBe("198.51.100.4");
    expect(clientAddress(request("::ffff:10.1.2.3", "198.51.100.4"), trusted)).toBe("198.51.100.4");
    // nothing forwarded, or only proxies: the last proxy's own address
    expect(clientAddress(request("10.1.2.3"), trusted)).toBe("10.1.2.3");
    expect(clientAddress(request("10.1.2.3", "10.0.0.5"), trusted)).toBe("10.0.0.5");
    // garbage in the chain ends it: the hop right of it is the last one a trusted proxy wrote
    expect(clientAddress(request("10.1.2.3", "evil, 10.0.0.5"), trusted)).toBe("10.0.0.5");
    expect(clientAddress(request("10.1.2.3", "198.51.100.4, evil"), trusted)).toBe("10.1.2.3");
  });

  it("knows IPv6 ranges too", () => {
    const trusted = parseTrustedProxies("fd00::/8");
    expect(clientAddress(request("fd00::1", "2001:db8::7"), trusted)).toBe("2001:db8::7");
    expect(clientAddress(request("2001:db8::9", "2001:db8::7"), trusted)).toBe("2001:db8::9");
  });
});

describe("parseTrustedProxies", () => {
  it("is null when unset and refuses what is not an address or a range, naming the variable", () => {
    expect(parseTrustedProxies(undefined)).toBeNull();
    expect(parseTrustedProxies("  ")).toBeNull();
    for (const bad of ["10.0.0.0/33", "ingress", "10.0.0.0/8/1", "10.0.0.0/x", "fd00::/129"]) {
      expect(() => parseTrustedProxies(bad)).toThrow(TrustedProxiesError);
      expect(() => parseTrustedProxies(`127.0.0.1, ${bad}`)).toThrow(`SWITCHYARD_TRUSTED_PROXIES: "${bad}" is not an IP address or a CIDR range`);
    }
  });
});
