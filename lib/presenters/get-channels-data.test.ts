import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toStored } from "@/lib/alerts/channels/stored-channel";
import { insertChannel } from "@/lib/db/alerts/channels";
import { recordSender } from "@/lib/db/alerts/senders";
import { getChannelsData } from "@/lib/presenters/get-channels-data";
import { parseAlertChannels } from "@/lib/schemas/alert-channels";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The Channels page says when the processes' SWITCHYARD_ALERT_CHANNELS differ (a change rolling
// out): each live alert loop records the channels of its environment, on a real PostgreSQL.

let db: TestDatabase;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = "channels-data-test-secret-0123456789"; // stored channels' secrets are sealed under it
  db = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.BETTER_AUTH_SECRET;
  await db?.drop();
});

describe("getChannelsData", () => {
  it("names the environment channels not every live loop lists, and which loops do; a stored channel of that name is sent to by all", async () => {
    expect((await getChannelsData(db.pool, true)).environmentsDiffer).toEqual([]);
    await recordSender(db.pool, "runner-a", ["hook", "pager", "slack"]);
    await recordSender(db.pool, "web-b", ["slack"]);
    await recordSender(db.pool, "runner-c", ["hook", "slack"]);
    const [pager] = parseAlertChannels(JSON.stringify([{ name: "pager", type: "webhook", url: "https://hooks.example.test/p", secret: "0123456789abcdef-secret" }]));
    await insertChannel(db.pool, toStored(pager), "api", "test");
    expect((await getChannelsData(db.pool, false)).environmentsDiffer).toEqual([{ channel: "hook", sentBy: ["runner-a", "runner-c"], notBy: ["web-b"] }]);

    // a loop gone two minutes ago no longer counts
    await db.pool.query("UPDATE alert_senders SET seen_at = now() - interval '3 minutes' WHERE sender_id = 'web-b'");
    expect((await getChannelsData(db.pool, false)).environmentsDiffer).toEqual([]);
  });
});
