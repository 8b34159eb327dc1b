import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import net from "node:net";
import os from "node:os";
import { signCall, verifyCall } from "@/lib/luigi-rpc/call-signature";
import type { AccessConfig } from "@/lib/scheduler/config";

// Who may talk to the scheduler (issue 10). luigid answers anyone; a browser then lets any web page
// an operator visits pause the fleet or mark a task DONE. Three checks close that door:
// - Host: only names this scheduler is known by — loopback names, IP literals, names without a dot,
//   this machine's name and configured ones — so a DNS-rebound name (evil.example → 127.0.0.1) is refused.
// - Cross-site writes: a state-changing RPC that the browser marks as coming from another site
//   (Sec-Fetch-Site: cross-site/same-site, or an Origin that is not the scheduler's own; Origin: null
//   too) is refused, GET or POST. Luigi's visualiser is served by the scheduler and calls same-origin;
//   workers and scripts send neither header.
// - Optional Basic auth ([scheduler] auth_users), as unmodified Luigi workers send it for
//   scheduler_url = http://user:secret@host:8082.

export type Refusal = { status: 401 | 403; code: string; message: string };

const LOOPBACK_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

/** The host name of a Host header value ("name:port", "[::1]:port"), lower-case; null when malformed. */
export function hostName(header: string): string | null {
  const h = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1] : null;
}

export function hostAllowed(header: string | undefined, access: AccessConfig): boolean {
  // HTTP/1.0 clients may omit Host; browsers never do, so no rebinding attack lacks it.
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === null) return false;
  if (access.allowedHosts.includes("*")) return true;
  // An IP literal is never a rebound DNS name: the page itself is on that address.
  if (net.isIP(name.replace(/^\[|\]$/g, "")) !== 0) return true;
  if (LOOPBACK_NAMES.has(name) || name.endsWith(".localhost")) return true;
  // A name without a dot (a Kubernetes Service in the same namespace, /etc/hosts) comes from local
  // resolution, not from public DNS that an attacker could point at this address.
  if (!name.includes(".")) return true;
  if (name === os.hostname().toLowerCase()) return true;
  return access.allowedHosts.some((allowed) => (allowed.startsWith("*.") ? name.endsWith(allowed.slice(1)) : name === allowed));
}

export function checkHost(req: IncomingMessage, access: AccessConfig): Refusal | null {
  if (hostAllowed(req.headers.host, access)) return null;
  return {
    status: 403,
    code: "host_not_allowed",
    message: `the Host header ${JSON.stringify(String(req.headers.host).slice(0, 100))} is not a name of this scheduler (DNS rebinding protection); add it to [scheduler] allowed_hosts or SCHEDULER_ALLOWED_HOSTS`,
  };
}

/** Why a state-changing request is cross-site, or null when it is not. */
export function checkSameOrigin(req: IncomingMessage): Refusal | null {
  const site = String(req.headers["sec-fetch-site"] ?? "").toLowerCase();
  if (site === "cross-site" || site === "same-site") {
    return { status: 403, code: "cross_site_request", message: `the browser marked this request as ${site} (Sec-Fetch-Site); the scheduler accepts state changes only from its own pages, workers and scripts` };
  }
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (origin === "null") return { status: 403, code: "cross_origin_request", message: "Origin: null (a sandboxed or file:// page) may not change the scheduler's state" };
  let own = false;
  try {
    const url = new URL(origin);
    own = (url.protocol === "http:" || url.protocol === "https:") && url.host === String(req.headers.host ?? "").toLowerCase();
  } catch {}
  if (own) return null;
  return { status: 403, code: "cross_origin_request", message: `Origin ${JSON.stringify(origin.slice(0, 100))} is not this scheduler's own; the scheduler accepts state changes only from its own pages, workers and scripts` };
}

/** The user of valid Basic credentials; null when auth is off; a Refusal when it is on and they are missing or wrong. */
export function checkAuth(req: IncomingMessage, access: AccessConfig): { user: string | null } | Refusal {
  if (access.users.size === 0) return { user: null };
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(String(req.headers.authorization ?? ""));
  if (m) {
    const text = Buffer.from(m[1], "base64").toString("utf8");
    const at = text.indexOf(":");
    const user = at > 0 ? text.slice(0, at) : "";
    const secret = access.users.get(user);
    if (secret !== undefined && sameSecret(text.slice(at + 1), secret)) return { user };
  }
  return { status: 401, code: "unauthorized", message: m ? "wrong user or secret for this scheduler" : "this scheduler needs HTTP Basic auth: give workers scheduler_url = http://user:secret@host:port" };
}

/** Constant-time comparison of equal-length digests, so the time taken says nothing about the secret. */
function sameSecret(given: string, wanted: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(wanted).digest();
  return timingSafeEqual(a, b);
}

export const AUTH_CHALLENGE = 'Basic realm="Switchyard scheduler", charset="UTF-8"';

/** The address of the other end of the connection. */
export function socketAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}

// A standby forwards requests to the active scheduler (http/forward.ts) once at most
// (FORWARDED_HEADER), with the client's address (FORWARDED_FOR_HEADER) signed with a key derived
// from the database URL, which every scheduler process of the database has and no client does.
// The mark covers the address, the method, the path with its query and the time (good for 60 s):
// one seen on the wire cannot be replayed to claim that address for other calls.
export const FORWARDED_HEADER = "x-switchyard-forwarded";
export const FORWARDED_FOR_HEADER = "x-switchyard-forwarded-for";

/** The key forwarded addresses are signed with: one per database URL. */
export function forwardKey(databaseUrl: string): Buffer {
  return createHash("sha256").update(`switchyard scheduler forwarding\n${databaseUrl}`).digest();
}

/** The FORWARDED_HEADER value: a mark over the client's address and this request, `<unix seconds>.<hmac>`. */
export function signForwarded(key: Buffer, address: string, method: string, url: string, now = Date.now()): string {
  return signCall(key, method, `${address}\n${url}`, now);
}

/**
 * The client's address as the socket saw it (a proxy's X-Forwarded-For is not trusted), or, for a
 * request a standby forwarded with a valid signature, the client's and the standby's.
 */
export function clientAddress(req: IncomingMessage, forwardKey: Buffer | null = null): string {
  const socket = socketAddress(req);
  const claimed = req.headers[FORWARDED_FOR_HEADER];
  const given = req.headers[FORWARDED_HEADER];
  if (!forwardKey || typeof claimed !== "string" || typeof given !== "string") return socket;
  return verifyCall(forwardKey, given, req.method ?? "GET", `${claimed}\n${req.url ?? "/"}`) ? `${claimed} via standby ${socket}` : socket;
}
