import { createAuth, type Auth } from "@/lib/auth/auth";
import { authSecret } from "@/lib/auth/secret";
import { configuredPublicUrl } from "@/lib/config/public-url";
import { loadConfig } from "@/lib/config/env";
import { getPool } from "@/lib/db/client";

// The web process's one better-auth instance, over the shared pool.

let auth: Auth | undefined;

export function getAuth(): Auth {
  if (!auth) {
    const config = loadConfig();
    const local = [`http://127.0.0.1:${config.port}`, `http://localhost:${config.port}`, `http://${config.host}:${config.port}`];
    const publicUrl = configuredPublicUrl();
    auth = createAuth(getPool(), {
      baseURL: publicUrl || local[0],
      secret: authSecret(config.home),
      trustedOrigins: publicUrl ? [publicUrl, ...local] : local,
    });
  }
  return auth;
}
