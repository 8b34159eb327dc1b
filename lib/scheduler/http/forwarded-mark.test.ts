import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, FORWARDED_FOR_HEADER, FORWARDED_HEADER, forwardKey, signForwarded } from "@/lib/scheduler/http/access";

// The mark a standby puts on a forwarded request: the active scheduler believes the client address
// it carries only for that request (method, path and query) and for 60 s, so a mark seen on the
// wire cannot be replayed to put another address in the RPC audit for other calls.

const key = forwardKey("postgres://switchyard@db/switchyard");
const request = (method: string, url: string, mark: string, claimed = "10.1.2.3"): IncomingMessage =>
  ({ method, url, headers: { [FORWARDED_HEADER]: mark, [FORWARDED_FOR_HEADER]: claimed }, socket: { remoteAddress: "::ffff:10.0.0.7" } }) as unknown as IncomingMessage;

describe("the forwarded-for mark", () => {
  const url = "/api/pause?data=%7B%7D";
  const mark = signForwarded(key, "10.1.2.3", "POST", url);

  it("names the client and the standby for the request it was made for", () => {
    expect(clientAddress(request("POST", url, mark), key)).toBe("10.1.2.3 via standby 10.0.0.7");
  });

  it("is the standby's address alone for another path, method, address, key, or after 60 s", () => {
    expect(clientAddress(request("POST", "/api/mark_as_done?data=%7B%7D", mark), key)).toBe("10.0.0.7");
    expect(clientAddress(request("GET", url, mark), key)).toBe("10.0.0.7");
    expect(clientAddress(request("POST", url, mark, "10.6.6.6"), key)).toBe("10.0.0.7");
    expect(clientAddress(request("POST", url, mark), forwardKey("postgres://another@db/x"))).toBe("10.0.0.7");
    expect(clientAddress(request("POST", url, signForwarded(key, "10.1.2.3", "POST", url, Date.now() - 61_000)), key)).toBe("10.0.0.7");
    expect(clientAddress(request("POST", url, "forged"), key)).toBe("10.0.0.7");
  });
});
