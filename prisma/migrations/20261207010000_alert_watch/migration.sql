-- Who tells the alert channels that PostgreSQL itself is unreachable (lib/alerts/database-watch.ts).
-- Every alert loop (each runner, each web) claims this row while the database answers. The claim
-- is a lease its holder renews. When the database stops answering, only the loop that held the
-- lease tells — one message per outage, not one per process. A loop that stops deletes its claim.
CREATE TABLE "alert_watch" (
  "name" TEXT NOT NULL,
  "holder" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(6) NOT NULL,
  CONSTRAINT "alert_watch_pkey" PRIMARY KEY ("name")
);
