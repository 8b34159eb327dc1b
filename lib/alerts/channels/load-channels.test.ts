import { describe, expect, it } from "vitest";
import { environmentChannels } from "@/lib/alerts/channels/load-channels";

// SWITCHYARD_ALERT_CHANNELS as this process reads it: parsed once per value, a broken value
// reported as an error (the Channels page shows it) and never thrown.

const slack = (name: string) => JSON.stringify([{ name, type: "slack", url: "https://hooks.slack.example.test/x" }]);

describe("environmentChannels", () => {
  it("parses a value once, again when it changes, and reports a broken one", () => {
    const first = environmentChannels({ SWITCHYARD_ALERT_CHANNELS: slack("ops") });
    expect(first).toEqual({ channels: [expect.objectContaining({ name: "ops", type: "slack" })], error: null });
    expect(environmentChannels({ SWITCHYARD_ALERT_CHANNELS: slack("ops") })).toBe(first);
    expect(environmentChannels({ SWITCHYARD_ALERT_CHANNELS: slack("oncall") }).channels.map((c) => c.name)).toEqual(["oncall"]);
    expect(environmentChannels({})).toEqual({ channels: [], error: null });
    expect(environmentChannels({ SWITCHYARD_ALERT_CHANNELS: "[{" })).toEqual({ channels: [], error: expect.stringMatching(/^SWITCHYARD_ALERT_CHANNELS is not valid JSON/) });
  });
});
