import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { readAuthSecret } from "@/lib/auth/secret";

// A stored channel's secrets (webhook and Slack URLs, signing secrets, SMTP URLs with their
// password) are sealed before they reach PostgreSQL: AES-256-GCM under a key derived from the
// secret the Switchyard processes share (BETTER_AUTH_SECRET, or SWITCHYARD_HOME/auth.secret), so a
// database dump, a backup or a role that can read alert_channels does not hand them out. The
// column holds {"sealed": "v1.<iv>.<tag>.<ciphertext>"} (base64url); rows written before sealing
// hold the plain object and are read as they are, and sealed on their next write.

const VERSION = "v1";

/** A key for this purpose only, so it reveals nothing about the cookie-signing secret. */
export function channelSecretsKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("switchyard alert channel secrets v1").digest();
}

export type SealedSecrets = { sealed: string } | Record<string, never>;

export function sealSecrets(secrets: Record<string, string>, key: Buffer): SealedSecrets {
  if (Object.keys(secrets).length === 0) return {};
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return { sealed: [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".") };
}

/** The secrets of a stored column value; throws a message an operator can act on when they cannot be read. */
export function openSecrets(stored: unknown, key: Buffer | undefined): Record<string, string> {
  if (!stored || typeof stored !== "object") return {};
  const sealed = (stored as { sealed?: unknown }).sealed;
  if (typeof sealed !== "string") return stored as Record<string, string>; // written before sealing
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error(`its secrets are sealed in an unknown form (${parts[0]}): re-enter them`);
  if (!key) throw new Error("its secrets are sealed, and this process has no BETTER_AUTH_SECRET or SWITCHYARD_HOME/auth.secret to open them");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts[1], "base64url"));
    decipher.setAuthTag(Buffer.from(parts[2], "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(parts[3], "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new Error("its secrets were sealed with another BETTER_AUTH_SECRET (or auth.secret) than this process has: give every Switchyard process the same one, or re-enter the secrets");
  }
}

/** The key to open with: read from this process's environment, never created. */
export function openingKey(env: Record<string, string | undefined> = process.env): Buffer | undefined {
  const secret = readAuthSecret(env);
  return secret ? channelSecretsKey(secret) : undefined;
}

/**
 * The key to seal with: never made here. A process without the shared secret (a `switchyard
 * services sync` from a laptop with only DATABASE_URL) would otherwise seal under a key of its own
 * that no other process can open; it is refused with what to set. `switchyard start` makes
 * SWITCHYARD_HOME/auth.secret before any part starts.
 */
export function sealingKey(env: Record<string, string | undefined> = process.env): Buffer {
  const key = openingKey(env);
  if (!key) throw new SecretKeyMissing();
  return key;
}

export class SecretKeyMissing extends Error {
  constructor() {
    super("channel secrets are stored sealed under BETTER_AUTH_SECRET (or SWITCHYARD_HOME/auth.secret), and this process has neither: set BETTER_AUTH_SECRET to the dashboard's");
  }
}
