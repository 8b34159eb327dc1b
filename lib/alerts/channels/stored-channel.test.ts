import { describe, expect, it } from "vitest";
import { channelView, fromStored, maskSecret, toStored } from "@/lib/alerts/channels/stored-channel";
import { mergeChannel } from "@/lib/control/alert-channels";
import { parseAlertChannels } from "@/lib/schemas/alert-channels";

// Secrets apart from everything else: a round trip loses nothing, a view never holds a secret,
// and an edit with a blank secret keeps the stored one.

const [mail, hook] = parseAlertChannels(
  JSON.stringify([
    { name: "mail", type: "email", smtpUrl: "smtps://alerts:hunter2pass@mail.example.test:465", from: "sy@example.test", to: ["a@example.test"], severities: ["critical"], digest: { time: "08:30", timeZone: "Europe/Berlin" } },
    { name: "hook", type: "webhook", url: "https://hooks.example.test/T/B/sekritpath", secret: "0123456789abcdef-secret" },
  ]),
);

describe("stored channels", () => {
  it("keep secrets in their own column and round-trip", () => {
    const s = toStored(mail);
    expect(s.secrets).toEqual({ smtpUrl: "smtps://alerts:hunter2pass@mail.example.test:465" });
    expect(s.target).toEqual({ from: "sy@example.test", to: ["a@example.test"] });
    expect(fromStored(s)).toEqual({ ...mail, paused: false });
    expect(toStored(hook).secrets).toEqual({ url: "https://hooks.example.test/T/B/sekritpath", secret: "0123456789abcdef-secret" });
  });

  it("are shown masked to admins and not at all to anybody else", () => {
    expect(maskSecret("smtpUrl", "smtps://alerts:hunter2pass@mail.example.test:465")).toBe("smtps://alerts:••••@mail.example.test:465 (set)");
    expect(maskSecret("url", "https://hooks.slack.com/services/T/B/X")).toBe("https://hooks.slack.com/…/•••• (set)");
    const admin = JSON.stringify([channelView(mail, { source: "api" }, true), channelView(hook, { source: "env" }, true)]);
    for (const secret of ["hunter2pass", "sekritpath", "0123456789abcdef-secret"]) expect(admin).not.toContain(secret);
    expect(channelView(hook, { source: "env" }, false).secrets).toBeNull();
  });

  it("merge an edit: a blank secret keeps the stored one, null clears a filter", () => {
    const merged = mergeChannel(mail, { smtpUrl: "", severities: null, to: ["b@example.test"] });
    expect(merged).toMatchObject({ smtpUrl: "smtps://alerts:hunter2pass@mail.example.test:465", to: ["b@example.test"] });
    expect(merged).not.toHaveProperty("severities");
    expect(mergeChannel(hook, { url: "https://hooks.example.test/new" }).url).toBe("https://hooks.example.test/new");
  });

  it("merge a change of type: the old type's target goes, the common fields stay", () => {
    const slack = mergeChannel({ ...hook, severities: ["critical"] }, { type: "slack", url: "https://hooks.slack.example.test/x" });
    expect(slack).toEqual({ name: "hook", type: "slack", url: "https://hooks.slack.example.test/x", severities: ["critical"] });
  });
});

describe("channels as given (environment, services file, API)", () => {
  it("refuse a misspelt key instead of dropping it: quiet hours or a filter silently missing pages the wrong people", () => {
    const slack = { name: "ops", type: "slack", url: "https://hooks.slack.example.test/x" };
    expect(parseAlertChannels(JSON.stringify([{ ...slack, severities: ["critical"] }]))).toHaveLength(1);
    expect(() => parseAlertChannels(JSON.stringify([{ ...slack, severity: ["critical"] }]))).toThrow(/^SWITCHYARD_ALERT_CHANNELS: 0: Unrecognized key: "severity"/);
    expect(() => parseAlertChannels(JSON.stringify([{ ...slack, quietHours: { from: "22:00", to: "07:00", timezone: "UTC" } }]))).toThrow(/0\.quietHours: Unrecognized key: "timezone"/);
    // a key of another type is refused too: a Slack channel has no signing secret
    expect(() => parseAlertChannels(JSON.stringify([{ ...slack, secret: "0123456789abcdef-secret" }]))).toThrow(/Unrecognized key: "secret"/);
  });

  it("say what a missing field should hold and which types there are", () => {
    const problems = (channel: object) => {
      try {
        parseAlertChannels(JSON.stringify([channel]));
        return "valid";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ name: "hook", type: "webhook" })).toBe(
      "SWITCHYARD_ALERT_CHANNELS: 0.url: expected an http:// or https:// URL; 0.secret: expected a signing key of at least 16 characters (it signs each body: X-Switchyard-Signature)",
    );
    expect(problems({ name: "mail", type: "email" })).toMatch(/0\.smtpUrl: expected an smtp:\/\/ or smtps:\/\/ URL.*; 0\.from: expected the sender's address; 0\.to: expected a list of e-mail addresses$/);
    expect(problems({ name: "pager", type: "sms" })).toBe("SWITCHYARD_ALERT_CHANNELS: 0.type: expected type webhook, slack or email");
    expect(problems({ type: "slack", url: "https://hooks.slack.example.test/x" })).toBe("SWITCHYARD_ALERT_CHANNELS: 0.name: expected a channel name");
  });
});
