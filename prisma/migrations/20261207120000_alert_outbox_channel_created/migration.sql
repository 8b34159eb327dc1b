-- Whether each alert channel delivers (Component health's Alerts row, /metrics'
-- switchyard_alert_channel_failing, the channel_failing rule every alert tick): its last sent
-- message, then what came after it. Both are short index range scans on (channel, created_at),
-- not a read of the channel's 90 days of delivery log (100 ms at 100,000 messages a channel)
CREATE INDEX "alert_outbox_channel_created_idx" ON "alert_outbox"("channel", "created_at");
