import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, signIn, test } from "../fixtures/users";

// The Channels page in a real Chromium against the real system: an admin adds a webhook channel
// pointing at a real local receiver, test-sends (the receiver gets a signed message; then, while
// it answers 500, the page says so), pauses it, and a viewer sees the page without the secret.

let receiver: Server;
let base = "";
let failing = false;
const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(failing ? 500 : 200).end(failing ? "receiver down" : "ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
});

test("an admin adds a webhook channel, test-sends to a real receiver and pauses it; a viewer sees no secret", async ({ page, signInAs, browser }) => {
  const name = `e2e-hook-${Date.now().toString(36)}`;
  const secret = `e2e-secret-${Date.now()}-abcdefgh`;
  await signInAs("admin", "/channels");
  await expect(page.getByRole("heading", { name: "Channels", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Add a channel" }).click();
  const form = page.getByRole("form", { name: "Add a channel" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("Webhook URL").fill("not a url");
  await form.getByLabel(/Signing secret/).fill(secret);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.getByRole("alert")).toContainText("url: not a URL");
  await form.getByLabel("Webhook URL").fill(`${base}/hooks/e2e-path`);
  await form.getByRole("button", { name: "Add channel" }).click();

  const card = page.getByRole("region", { name: `Channel ${name}` });
  await expect(card.getByTestId("channel-state")).toHaveText("active");
  await expect(card).toContainText(`${base}/…/•••• (set)`);
  expect(await page.content()).not.toContain(secret);

  await card.getByRole("button", { name: `Test-send to ${name}` }).click();
  await expect(card.getByRole("status")).toHaveText("delivered");
  // The newest test message: an active channel also gets the demo fleet's incident messages,
  // which may arrive right after it.
  const got = received.findLast((r) => (JSON.parse(r.body) as { event?: string }).event === "test")!;
  const ts = got.headers["x-switchyard-timestamp"] as string;
  expect(got.headers["x-switchyard-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(`${ts}.${got.body}`).digest("hex")}`);
  expect(JSON.parse(got.body)).toMatchObject({ event: "test", channel: name });

  failing = true;
  await card.getByRole("button", { name: `Test-send to ${name}` }).click();
  await expect(card.getByRole("status")).toContainText(/not delivered: webhook 127\.0\.0\.1:\d+ answered 500/);
  const log = card.getByRole("table", { name: `Deliveries to ${name}` });
  await expect(log.getByRole("row")).toHaveCount(2);
  await expect(log.getByRole("row").first()).toContainText("failed");
  await expect(log.getByRole("row").nth(1)).toContainText("sent");
  // the card says the channel is failing, as Component health and the channel_failing incident do
  await expect(card.getByTestId("channel-state")).toHaveText(/^failing since \d\d-\d\d \d\d:\d\d UTC: \d+ messages? not delivered$/);

  await card.getByRole("button", { name: `Pause channel ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText("Done.");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(card.getByTestId("channel-state")).toHaveText("paused");

  const viewer = await browser.newPage();
  try {
    await signIn(viewer, "viewer", "/channels");
    const seen = viewer.getByRole("region", { name: `Channel ${name}` });
    await expect(seen.getByTestId("channel-state")).toHaveText("paused");
    await expect(viewer.getByText(/^Read-only: only admins/)).toBeVisible();
    await expect(seen.getByRole("button")).toHaveCount(0);
    const html = await viewer.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain("e2e-path");
  } finally {
    await viewer.close();
  }
});
