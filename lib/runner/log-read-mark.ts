import { createHmac } from "node:crypto";
import { readAuthSecret } from "@/lib/auth/secret";
import { signCall } from "@/lib/luigi-rpc/call-signature";

// The mark a web server puts on its request for a run's log to the runner that has it
// (log-server.ts verifies it): `<unix s>.<hmac>` over the method, path and query, keyed from the
// secret the parts share (BETTER_AUTH_SECRET, or SWITCHYARD_HOME/auth.secret), good for 60 s.
// Apart from the server, so that the dashboard's bundle takes only this.

export const LOG_READ_HEADER = "x-switchyard-log-read";
export const LOG_SIZE_HEADER = "x-log-size";

/** A key for this purpose only, apart from the scheduler's marks and the cookie secret. */
export function logReadKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("switchyard run log read v1").digest();
}

/** The shared secret's log key, read (never made) until it exists: the web makes auth.secret on its first start. */
export function lazyLogReadKey(env: Record<string, string | undefined> = process.env): () => Buffer | undefined {
  let key: Buffer | undefined;
  return () => {
    if (key) return key;
    const secret = readAuthSecret(env);
    return (key = secret ? logReadKey(secret) : undefined);
  };
}

/** The mark for one request: `target` is its path and query, as sent. */
export function signLogRead(key: Buffer, method: "GET" | "HEAD", target: string, now = Date.now()): string {
  return signCall(key, method, target, now);
}

