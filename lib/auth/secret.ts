import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { homeFolder } from "@/lib/config/env";

// The key that signs session cookies. BETTER_AUTH_SECRET wins; otherwise one is made on first
// use and kept in the data folder (mode 600), so sessions survive restarts without any set-up.

export function authSecret(home: string, env: Record<string, string | undefined> = process.env): string {
  const given = env.BETTER_AUTH_SECRET?.trim();
  if (given) {
    if (given.length < 32) throw new Error("BETTER_AUTH_SECRET: expected at least 32 characters (e.g. the output of `openssl rand -base64 32`)");
    return given;
  }
  const file = path.join(home, "auth.secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(home, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process made it first
    }
  }
}

/**
 * The shared secret as the other processes read it (BETTER_AUTH_SECRET, else SWITCHYARD_HOME/auth.secret),
 * never creating it; undefined when there is none yet.
 */
export function readAuthSecret(env: Record<string, string | undefined> = process.env): string | undefined {
  const given = env.BETTER_AUTH_SECRET?.trim();
  if (given) return given;
  const file = path.join(homeFolder(env), "auth.secret");
  let secret = readSecrets.get(file);
  if (secret) return secret;
  try {
    secret = fs.readFileSync(file, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
  // kept once read: the file is written once and never changed (authSecret), and the alert loop
  // opens the channels' secrets every second
  if (secret) readSecrets.set(file, secret);
  return secret;
}

const readSecrets = new Map<string, string>();
