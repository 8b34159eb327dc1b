-- The channels each live alert loop sends to from its own SWITCHYARD_ALERT_CHANNELS
-- (lib/db/alerts/senders.ts). Runners and webs read the variable each from its own environment,
-- and they differ while a change rolls out. The channel_failing rule and Component health judge
-- the channels that any live loop sends to, so two evaluators with different lists do not open
-- and resolve the same incident in turn. A loop writes its row every 30 s and deletes it when it
-- stops. A row not written for 2 minutes is a loop that is gone.
CREATE TABLE "alert_senders" (
  "sender_id" TEXT NOT NULL,
  "channels" TEXT[] NOT NULL,
  "seen_at" TIMESTAMPTZ(6) NOT NULL,
  CONSTRAINT "alert_senders_pkey" PRIMARY KEY ("sender_id")
);
