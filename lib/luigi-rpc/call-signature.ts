import { createHmac, timingSafeEqual } from "node:crypto";
import { readAuthSecret } from "@/lib/auth/secret";

// How the dashboard (and the runner) mark the scheduler RPCs they have already written to the audit
// log themselves, so the scheduler does not audit them a second time. The mark is an HMAC over the
// method, the exact `data` text and a timestamp, keyed from the secret the parts share
// (BETTER_AUTH_SECRET, or SWITCHYARD_HOME/auth.secret): a stranger cannot forge it, and a copied
// mark is only good for the same call within MAX_SKEW_S. A call without a valid mark is audited
// by the scheduler — a wrong or missing secret means an action is audited twice, never zero times.

export const SIGNATURE_HEADER = "x-switchyard-audited";
const MAX_SKEW_S = 60;

const RPC_MARK = "switchyard scheduler rpc mark v1";

/**
 * A key for one purpose only (by default the scheduler's RPC marks; lib/runner/log-read-mark.ts has
 * another), so a mark never reveals anything about the cookie-signing secret or serves elsewhere.
 */
export function callSigningKey(secret: string, purpose = RPC_MARK): Buffer {
  return createHmac("sha256", secret).update(purpose).digest();
}

function mac(key: Buffer, method: string, data: string, at: number): string {
  return createHmac("sha256", key).update(`${method}\n${at}\n${data}`).digest("base64url");
}

/** The header value: `<unix seconds>.<hmac>`. */
export function signCall(key: Buffer, method: string, data: string, now = Date.now()): string {
  const at = Math.floor(now / 1000);
  return `${at}.${mac(key, method, data, at)}`;
}

/** True when `header` is a fresh mark for exactly this method and data. */
export function verifyCall(key: Buffer, header: string | undefined, method: string, data: string, now = Date.now()): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(header ?? "");
  if (!m) return false;
  const at = Number(m[1]);
  if (Math.abs(now / 1000 - at) > MAX_SKEW_S) return false;
  const want = Buffer.from(mac(key, method, data, at));
  const got = Buffer.from(m[2]);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * The shared secret's key, read (never created) from BETTER_AUTH_SECRET or SWITCHYARD_HOME/auth.secret;
 * undefined when there is none yet — the web creates the file on its first start, so callers ask again later.
 */
export function readSigningKey(env: Record<string, string | undefined> = process.env, purpose = RPC_MARK): Buffer | undefined {
  const secret = readAuthSecret(env);
  return secret ? callSigningKey(secret, purpose) : undefined;
}

/** readSigningKey, asked again until the key exists (the web may make auth.secret after this process started). */
export function lazySigningKey(env: Record<string, string | undefined> = process.env, purpose = RPC_MARK): () => Buffer | undefined {
  let key: Buffer | undefined;
  return () => (key ??= readSigningKey(env, purpose));
}
