import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChannels } from "@/lib/alerts/channels/load-channels";
import { setChannelPaused } from "@/lib/db/alerts/channels";
import { parseServicesFile } from "@/lib/runner/services/load-services-file";
import { syncServicesFile } from "@/lib/runner/services/sync-services-file";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// A services file's `channels` list, synced like its services: stored with source "file", an
// audit row per added or changed channel (field names, never a secret), nothing on a re-sync
// that changes nothing, and a channel paused on the page stays paused.

let db: TestDatabase;
beforeAll(async () => {
  // the key the synced secrets are sealed under (secret-box.ts); without it the sync makes SWITCHYARD_HOME/auth.secret
  process.env.BETTER_AUTH_SECRET = "sync-channels-test-secret-0123456789abcdef";
  db = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.BETTER_AUTH_SECRET;
  await db?.drop();
});

const SLACK = "https://hooks.slack.com/services/T9/B9/filesecret";
const file = (channels: object[]) =>
  parseServicesFile(JSON.stringify({ services: [{ name: "shop", dailyTime: "02:00", dailyCommand: "true" }], channels }), "switchyard.services.json");

describe("channels in the services file", () => {
  it("are validated with the field named", () => {
    expect(() => file([{ name: "x", type: "slack", url: "nope" }])).toThrow(/channels\[0\]\.url: not a URL/);
    expect(() => file([{ name: "x", type: "email", smtpUrl: "smtp://a.test", from: "me@a.test", to: ["not-an-address"] }])).toThrow(/channels\[0\]\.to\[0\]/);
  });

  it("are stored and audited on sync, and a re-sync changes nothing", async () => {
    const report = await syncServicesFile(db.pool, file([{ name: "ops", type: "slack", url: SLACK, severities: ["critical"] }]), { actor: "system:runner", source: "switchyard.services.json" });
    expect(report.channels).toEqual([{ channel: "ops", change: "added", fields: ["name", "severities", "type", "url"] }]);
    expect((await loadChannels(db.pool, [])).map((c) => [c.name, c.type, c.type === "slack" && c.url])).toEqual([["ops", "slack", SLACK]]);
    expect((await db.pool.query("SELECT source FROM alert_channels")).rows).toEqual([{ source: "file" }]);
    const again = await syncServicesFile(db.pool, file([{ name: "ops", type: "slack", url: SLACK, severities: ["critical"] }]), { actor: "system:runner", source: "switchyard.services.json" });
    expect(again.channels).toEqual([]);
    const audit = await db.pool.query("SELECT actor, action, target_id, reason, result FROM audit_log WHERE action = 'channel.sync'");
    expect(audit.rows).toEqual([{ actor: "system:runner", action: "channel.sync", target_id: "ops", reason: "services file switchyard.services.json", result: { change: "added", fields: ["name", "severities", "type", "url"] } }]);
    expect(JSON.stringify(audit.rows)).not.toContain("filesecret");
  });

  it("overwrites an edit but keeps a pause made on the page", async () => {
    await setChannelPaused(db.pool, "ops", true, "user:admin");
    const report = await syncServicesFile(db.pool, file([{ name: "ops", type: "slack", url: `${SLACK}2` }]), { actor: "system:runner", source: "switchyard.services.json" });
    expect(report.channels).toEqual([{ channel: "ops", change: "changed", fields: ["severities", "url"] }]);
    const [ops] = await loadChannels(db.pool, []);
    expect(ops).toMatchObject({ name: "ops", paused: true, url: `${SLACK}2` });
    expect(ops.severities).toBeUndefined();
  });

  it("read a secret written {env:NAME} from the environment of the sync, and say so when it is not set", async () => {
    process.env.E2E_CHANNELS_HOOK = "https://hooks.example.test/from-env-secret";
    try {
      const report = await syncServicesFile(db.pool, file([{ name: "ops", type: "slack", url: "{env:E2E_CHANNELS_HOOK}" }]), { actor: "system:runner", source: "f" });
      expect(report.channels).toEqual([{ channel: "ops", change: "changed", fields: ["url"] }]);
      expect((await loadChannels(db.pool, []))[0]).toMatchObject({ url: "https://hooks.example.test/from-env-secret" });
    } finally {
      delete process.env.E2E_CHANNELS_HOOK;
    }
    expect(() => file([{ name: "ops", type: "slack", url: "{env:E2E_CHANNELS_HOOK}" }])).toThrow(/channels\[0\]\.url: the environment variable E2E_CHANNELS_HOOK is not set/);
  });
});
