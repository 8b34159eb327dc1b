import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { channelSecretsKey, openSecrets, sealingKey, sealSecrets } from "@/lib/alerts/channels/secret-box";

// A channel's secrets as the alert_channels column holds them: sealed (AES-256-GCM under a key
// from the shared auth secret), opened only with the same secret, and rows from before sealing
// still read.

const key = channelSecretsKey("one-deployment-secret-0123456789abcdef");
const secrets = { url: "https://hooks.slack.com/services/T0/B0/XXXX", secret: "signing-secret-0123456789" };

describe("the channel secret box", () => {
  it("seals to a form that shows nothing of the secrets, and opens back to them", () => {
    const sealed = sealSecrets(secrets, key);
    expect(Object.keys(sealed)).toEqual(["sealed"]);
    expect(JSON.stringify(sealed)).not.toMatch(/hooks\.slack|XXXX|signing-secret/);
    expect(openSecrets(JSON.parse(JSON.stringify(sealed)), key)).toEqual(secrets);
    // a fresh IV each time: the same secrets do not give the same column value
    expect(sealSecrets(secrets, key)).not.toEqual(sealed);
    expect(sealSecrets({}, key)).toEqual({});
    expect(openSecrets({}, key)).toEqual({});
  });

  it("refuses another key, a tampered value and a missing key with what to do", () => {
    const sealed = sealSecrets(secrets, key) as { sealed: string };
    expect(() => openSecrets(sealed, channelSecretsKey("another-deployment-secret-0123456789"))).toThrow(/sealed with another BETTER_AUTH_SECRET .*same one, or re-enter the secrets/);
    const parts = sealed.sealed.split(".");
    const flipped = parts[3].startsWith("A") ? `B${parts[3].slice(1)}` : `A${parts[3].slice(1)}`;
    expect(() => openSecrets({ sealed: [...parts.slice(0, 3), flipped].join(".") }, key)).toThrow(/sealed with another/);
    expect(() => openSecrets(sealed, undefined)).toThrow(/no BETTER_AUTH_SECRET or SWITCHYARD_HOME\/auth.secret/);
    expect(() => openSecrets({ sealed: "v9.a.b.c" }, key)).toThrow(/unknown form \(v9\)/);
  });

  it("reads a row written before sealing as it is", () => {
    expect(openSecrets(secrets, key)).toEqual(secrets);
    expect(openSecrets(secrets, undefined)).toEqual(secrets);
  });
});

describe("the sealing key", () => {
  it("is the shared secret's, never one made up by a process that lacks it", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
    try {
      expect(() => sealingKey({ SWITCHYARD_HOME: home })).toThrow(/this process has neither: set BETTER_AUTH_SECRET to the dashboard's/);
      expect(fs.existsSync(path.join(home, "auth.secret"))).toBe(false);
      fs.writeFileSync(path.join(home, "auth.secret"), "one-deployment-secret-0123456789abcdef\n");
      expect(sealingKey({ SWITCHYARD_HOME: home })).toEqual(key);
      expect(sealingKey({ BETTER_AUTH_SECRET: "one-deployment-secret-0123456789abcdef" })).toEqual(key);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
