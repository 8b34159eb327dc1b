import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import type pg from "pg";
import { auditSignIns } from "@/lib/audit/sign-in-audit";
import { createRateLimitStore } from "@/lib/auth/rate-limit-store";
import { roles } from "@/lib/auth/roles";
import { isConnectionError } from "@/lib/db/outage";
import { createLogger } from "@/lib/log/logger";

// Sign-in is better-auth's email and password, stored in our own snake_case tables (users,
// sessions, accounts, verifications — prisma/schema/base.prisma). There is no open sign-up:
// the first admin is created through a one-time link that `switchyard start` prints
// (first-admin.ts), and admins add everyone else.

export type AuthOptions = { baseURL: string; secret: string; trustedOrigins?: string[] };

export function createAuth(pool: pg.Pool, options: AuthOptions) {
  return betterAuth({
    database: pool,
    baseURL: options.baseURL,
    secret: options.secret,
    basePath: "/api/auth",
    trustedOrigins: options.trustedOrigins ?? [options.baseURL],
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    session: {
      modelName: "sessions",
      fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", createdAt: "created_at", updatedAt: "updated_at" },
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
    },
    telemetry: { enabled: false },
    // counted in PostgreSQL, not per process: the web's replicas share one limit per client address
    rateLimit: { customStorage: createRateLimitStore(pool) },
    logger: { log: logAuth },
    advanced: { database: { generateId: () => randomUUID() } }, // our id columns have no database default
    user: {
      modelName: "users",
      fields: { emailVerified: "email_verified", createdAt: "created_at", updatedAt: "updated_at" },
      additionalFields: { role: { type: [...roles], required: false, defaultValue: "viewer", input: false } },
    },
    account: {
      modelName: "accounts",
      fields: {
        userId: "user_id",
        accountId: "account_id",
        providerId: "provider_id",
        accessToken: "access_token",
        refreshToken: "refresh_token",
        idToken: "id_token",
        accessTokenExpiresAt: "access_token_expires_at",
        refreshTokenExpiresAt: "refresh_token_expires_at",
        createdAt: "created_at",
        updatedAt: "updated_at",
      },
    },
    verification: {
      modelName: "verifications",
      fields: { expiresAt: "expires_at", createdAt: "created_at", updatedAt: "updated_at" },
    },
    hooks: { after: auditSignIns(pool) },
    // A disabled account (`switchyard user disable`) gets no new session. Checked when the session
    // is made, i.e. after the password was verified, so a stranger cannot probe which accounts exist.
    databaseHooks: { session: { create: { before: refuseDisabledUser(pool) } } },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

function refuseDisabledUser(pool: pg.Pool) {
  return async (session: { userId: string }) => {
    const { rowCount } = await pool.query("SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NOT NULL", [session.userId]);
    if (rowCount) throw new APIError("FORBIDDEN", { message: "this account is disabled; an admin can enable it again (switchyard user enable --email …)", code: "USER_DISABLED" });
  };
}

const authLog = createLogger("web/auth");

/**
 * better-auth's own log lines, in ours. A lost database connection is left out: the web logs the
 * outage once when it starts and once when it ends (lib/db/outage.ts), where better-auth printed a
 * stack trace for every page and poll meanwhile.
 */
function logAuth(level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]): void {
  if (args.some(isConnectionError)) return;
  const error = args.find((a): a is Error => a instanceof Error);
  authLog[level](message, error ? { error } : args.length > 0 ? { details: args.map(String).join(" ") } : undefined);
}
