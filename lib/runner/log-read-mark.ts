import { callSigningKey, lazySigningKey } from "@/lib/luigi-rpc/call-signature";

// The mark a web server puts on its request for a run's log to the runner that has it
// (log-server.ts verifies it): call-signature.ts's `<unix s>.<hmac>` (signCall, verifyCall) over
// the method and the path with its query, with a key of its own derived from the secret the parts
// share (BETTER_AUTH_SECRET, or SWITCHYARD_HOME/auth.secret), good for 60 s. Apart from the server,
// so that the dashboard's bundle takes only this.

export const LOG_READ_HEADER = "x-switchyard-log-read";
export const LOG_SIZE_HEADER = "x-log-size";

const LOG_READ = "switchyard run log read v1";

export const logReadKey = (secret: string): Buffer => callSigningKey(secret, LOG_READ);

/** The shared secret's log key, read (never made) until it exists: the web makes auth.secret on its first start. */
export const lazyLogReadKey = (env: Record<string, string | undefined> = process.env) => lazySigningKey(env, LOG_READ);
