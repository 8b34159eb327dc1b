import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "../fixtures/users";

// The scheduler's door in a real Chromium against the real system (`switchyard start`): a page from
// another origin tries to pause the scheduler with the cross-site requests a malicious page can
// make (a form-style POST and a GET) — refused, and the attempt is in the audit log; Luigi's
// visualiser way of calling (a same-origin GET from a page the scheduler serves) still works.

const schedulerUrl = `http://127.0.0.1:${process.env.E2E_SCHEDULER_PORT ?? "8182"}`;

const attackerPage = `<!doctype html><title>cute cats</title><p id="state">sending</p>
<script>
  const target = ${JSON.stringify(schedulerUrl)};
  Promise.allSettled([
    fetch(target + "/api/pause", { method: "POST", mode: "no-cors", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "data=%7B%7D" }),
    fetch(target + "/api/pause", { mode: "no-cors" }),
  ]).then(() => { document.getElementById("state").textContent = "sent"; });
</script>`;

let attacker: http.Server;
let attackerUrl: string;

test.beforeAll(async () => {
  attacker = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(attackerPage));
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
});

const isPaused = async (request: import("@playwright/test").APIRequestContext) => {
  const res = await request.post(`${schedulerUrl}/api/is_paused`, { form: { data: "{}" } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { response: { paused: boolean } }).response.paused;
};

test("a page from another origin cannot pause the scheduler, and its attempt is in the audit log", async ({ page, request, signInAs }) => {
  expect(await isPaused(request)).toBe(false);
  await page.goto(attackerUrl);
  await expect(page.locator("#state")).toHaveText("sent");
  expect(await isPaused(request)).toBe(false);

  await signInAs("operator");
  await page.goto("/audit?action=scheduler.pause&outcome=denied");
  const rows = page.getByRole("row").filter({ hasText: "scheduler client 127.0.0.1" });
  await expect(rows.first()).toContainText("denied");
  await expect(rows.first()).toContainText("scheduler.pause");
  // the POST and the GET (a data folder kept from an earlier run may hold more)
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
});

test("Luigi's visualiser way — a same-origin GET from a page the scheduler serves — still pauses and unpauses", async ({ page, request }) => {
  await page.goto(`${schedulerUrl}/api/is_paused`);
  const call = (method: string) =>
    page.evaluate(async (m) => (await fetch(`/api/${m}`, { headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json, text/javascript, */*; q=0.01" } })).status, method);
  expect(await call("pause")).toBe(200);
  expect(await isPaused(request)).toBe(true);
  expect(await call("unpause")).toBe(200);
  expect(await isPaused(request)).toBe(false);
});
