-- better-auth's sign-in rate limit (3 tries in 10 s per client address, 100 requests in 10 s for
-- the other /api/auth paths), kept in PostgreSQL instead of each web process's memory: the
-- replicas of switchyard-web share one count per address, and a restart does not reset it
-- (lib/auth/rate-limit-store.ts). One row per client address and path, pruned as they age.
CREATE TABLE "auth_rate_limits" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "last_request" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "auth_rate_limits_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "auth_rate_limits_last_request_idx" ON "auth_rate_limits"("last_request");
