import { describe, expect, it } from "vitest";
import type { AlertPayload } from "@/lib/alerts/enqueue";
import { emailMessage, slackMessage } from "@/lib/alerts/format-message";

// What a receiver reads. A message a silence held back arrives hours after its incident opened:
// it says so, in Slack and in email (a webhook gets the payload's heldUntil as it is).

const payload = (over: Partial<AlertPayload> = {}): AlertPayload => ({
  idempotencyKey: "switchyard-incident-7-1-open-ops",
  event: "open",
  incident: {
    id: 7,
    rule: "run_failed",
    severity: "critical",
    service: "acme",
    kind: "daily",
    period: "2026-12-06",
    summary: "run 12 of acme daily 2026-12-06 failed (attempt 3, no retry left)",
    error: "Traceback (most recent call last):\n  boom",
    openedAt: "2026-12-07T02:10:31.000Z",
    resolvedAt: null,
    resolvedBy: null,
    links: { incident: "https://sy.example/incidents", run: "https://sy.example/runs/12", service: "https://sy.example/services/acme" },
  },
  ...over,
});

const note = "Held by a silence of its service until 2026-12-07 06:00 UTC; the incident opened 2026-12-07 02:10 UTC and is still open.";

describe("incident messages", () => {
  it("a released message says until when it was held and when its incident opened", () => {
    const held = payload({ heldUntil: "2026-12-07T06:00:00.000Z" });
    expect(JSON.stringify(slackMessage(held))).toContain(note);
    const email = emailMessage(held);
    expect(email.text).toContain(`Note: ${note}`);
    expect(email.html).toContain(note);
  });

  it("one sent when its incident opened says nothing of it", () => {
    expect(JSON.stringify(slackMessage(payload()))).not.toContain("Held by");
    const email = emailMessage(payload());
    expect(email.text).not.toContain("Note:");
    expect(email.subject).toBe("[switchyard] CRITICAL: Run failed - acme daily 2026-12-06");
  });
});
