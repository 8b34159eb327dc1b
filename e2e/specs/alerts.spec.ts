import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { expect, test } from "../fixtures/users";
import { queueFirstAttempt } from "../fixtures/demo-failure";
import { AuditPage } from "../pages/dashboard-pages";
import { alertWebhook } from "../../playwright.config";

// Issue 11, end to end: the started system (playwright.config.ts) sends its alerts to a signed
// webhook served here on 127.0.0.1. A demo daily that the fleet's failure injection fails once
// fails → within 30 s the receiver has the signed "open" message whose link opens that run's page;
// the incident is on /incidents, an operator acknowledges it there and the audit log says so; a
// re-run succeeds → the "resolve" message follows.

type Message = { event: "open" | "resolve"; incident: { id: number; rule: string; links: { run: string | null } } };
const received: Array<{ at: number; message: Message }> = [];
let server: http.Server;

/** The signature over "<timestamp>.<body>" with the channel's secret, compared in constant time. */
function verified(req: http.IncomingMessage, body: string): boolean {
  const timestamp = String(req.headers["x-switchyard-timestamp"] ?? "");
  const given = Buffer.from(String(req.headers["x-switchyard-signature"] ?? ""));
  const wanted = Buffer.from(`sha256=${createHmac("sha256", alertWebhook.secret).update(`${timestamp}.${body}`).digest("hex")}`);
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === wanted.length && timingSafeEqual(given, wanted);
}

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url !== "/hook" || !verified(req, body)) {
        res.writeHead(401).end();
        return;
      }
      received.push({ at: Date.now(), message: JSON.parse(body) as Message });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(alertWebhook.port, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const messageFor = (runId: number, event: Message["event"]) => () =>
  received.find((r) => r.message.event === event && r.message.incident.rule === "run_failed" && r.message.incident.links.run?.endsWith(`/runs/${runId}`));

test("a failed run is sent to the webhook, acknowledged on /incidents and audited; a successful re-run sends the resolve", async ({ page, signInAs }) => {
  test.setTimeout(600_000);
  await signInAs("operator");
  const { service, day, runId } = await queueFirstAttempt(page.request, "e2e: alerts");
  const status = async (id: number) => ((await (await page.request.get(`/api/v1/runs/${id}`)).json()) as { run: { status: string } }).run.status;
  await expect.poll(() => status(runId), { timeout: 300_000, intervals: [1_000] }).toBe("failed");
  const failedAt = Date.now();

  // within 30 s: the signed open message, whose link opens the run's page
  await expect.poll(() => Boolean(messageFor(runId, "open")()), { timeout: 30_000, intervals: [500] }).toBe(true);
  const open = messageFor(runId, "open")()!;
  expect(open.at - failedAt).toBeLessThan(30_000);
  await page.goto(open.message.incident.links.run!);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Run ${runId}\\b`) })).toBeVisible();
  await expect(page.getByTestId("run-incidents"), "the run page marks its period's open incident").toContainText("run_failed");

  // listed on /incidents, acknowledged there through the confirmation dialog
  const incidentId = open.message.incident.id;
  await page.goto("/incidents");
  const row = page.locator(`tr[data-incident="${incidentId}"]`);
  await expect(row).toHaveAttribute("data-status", "open");
  await expect(row).toContainText(service);
  await expect(row).toContainText("run_failed");
  await row.getByRole("button", { name: `Acknowledge incident ${incidentId}` }).click();
  const dialog = page.getByRole("dialog");
  const reason = `e2e: on it ${Date.now()}`;
  await dialog.getByLabel(/Reason/).fill(reason);
  // The dialog waits for the answer: with the request held for 1.5 s, neither Escape nor Cancel
  // closes it while it says "Working…", and the result shows in it.
  const held = `**/api/v1/incidents/${incidentId}/acknowledge`;
  await page.route(held, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await dialog.getByRole("button", { name: "Confirm: acknowledge" }).click();
  await expect(dialog.getByRole("button", { name: "Working…" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeDisabled();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeVisible({ timeout: 15_000 });
  await page.unroute(held);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("operator@e2e.example.com", { timeout: 15_000 });

  // the service's page shows it among its open incidents, and links to its own incident history
  await page.goto(`/services/${service}`);
  const onService = page.getByTestId("service-incidents");
  await expect(onService.locator(`tr[data-incident="${incidentId}"]`)).toContainText("operator@e2e.example.com");
  await onService.getByRole("link", { name: "Its incident history" }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents\\?service=${service}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Incidents of");
  await expect(page.locator(`tr[data-incident="${incidentId}"]`)).toHaveAttribute("data-status", "open");
  await expect(page.locator("tr[data-incident]").filter({ hasNotText: service })).toHaveCount(0);

  const audit = new AuditPage(page);
  await audit.goto();
  const entry = audit.rowWithReason(reason);
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("incident.acknowledge");
  await expect(entry).toContainText("user:operator@e2e.example.com");

  // a re-run that succeeds (the injected failure happens once) resolves it: the resolve message.
  // Re-run from the home page's "Re-run all failed…", which lists this failure among the day's
  // (the specs after this one make failures of their own).
  await page.goto("/");
  await page.getByRole("button", { name: "Re-run all failed…" }).click();
  const bulk = page.getByRole("dialog", { name: "Re-run all failed" });
  await expect(bulk.getByTestId("rerun-failed-list")).toContainText(`${service} daily ${day}`);
  await bulk.getByLabel(/Reason/).fill("e2e: alerts re-run");
  await bulk.getByRole("button", { name: /^Confirm: re-run \d+$/ }).click();
  // the answer stays on screen although the failures it re-ran leave the page behind it
  await expect(bulk).toContainText(/Queued \d+ re-runs? of \d+ failed periods?/, { timeout: 15_000 });
  await bulk.getByRole("button", { name: "Close" }).click();
  const reruns = (await (await page.request.get(`/api/v1/runs?service=${service}&kind=daily&from=${day}&to=${day}`)).json()) as { runs: Array<{ id: number; trigger: string }> };
  const rerunId = reruns.runs.find((r) => r.id > runId && r.trigger === "manual")!.id;
  await expect.poll(() => status(rerunId), { timeout: 300_000, intervals: [1_000] }).toBe("done");
  await expect
    .poll(() => received.some((r) => r.message.event === "resolve" && r.message.incident.id === incidentId), { timeout: 30_000, intervals: [500] })
    .toBe(true);
  await page.goto("/incidents");
  await expect(page.locator(`tr[data-incident="${incidentId}"]`)).toHaveAttribute("data-status", "resolved");
});
