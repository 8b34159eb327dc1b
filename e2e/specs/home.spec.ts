import { e2eDatabase } from "../fixtures/database";
import { emailOf, expect, PASSWORD, test } from "../fixtures/users";
import { AuditPage } from "../pages/dashboard-pages";

// The home page needs a signed-in user (every page calls requireActor()); what it shows once
// signed in is checked in dashboard.spec.ts with the fixtures in e2e/fixtures/users.ts. Its
// component health lists the runners, and lets an operator pause one and forget one gone for good.

test("the home page sends a visitor who is not signed in to sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a link followed while signed out lands on its page after sign-in", async ({ page, accounts }) => {
  void accounts; // the accounts exist
  await page.goto("/services?x=1");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fservices%3Fx%3D1$/);
  await page.getByLabel("Email").fill(emailOf("viewer"));
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong e-mail or password.");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/services\?x=1$/);
});

test("health reports the database as up", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect((await res.json()).parts.database.status).toBe("ok");
});

test("an operator forgets a runner lost with its node and drains a live one: the component health shows each, the audit log has them", async ({ page, signInAs }) => {
  // A runner that died without stopping (its pod went with its node): its row, as it was left.
  const db = await e2eDatabase();
  const runnerId = `e2e-lost-node-4242-${Date.now().toString(16).slice(-8)}`;
  try {
    const host = await db.query("INSERT INTO hosts (name) VALUES ('e2e-lost-node') ON CONFLICT (name) DO UPDATE SET last_seen_at = now() RETURNING id");
    await db.query("INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) VALUES ($1, $2, 4242, now() - interval '1 hour', now() - interval '10 minutes')", [runnerId, host.rows[0].id]);
  } finally {
    await db.end();
  }
  await signInAs("operator", "/");
  const health = page.getByRole("region", { name: /Component health/ });
  const row = health.getByRole("row").filter({ hasText: runnerId });
  await expect(row).toContainText("down");
  await row.getByRole("button", { name: `Forget runner ${runnerId}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Runs still running on it are marked lost and retried");
  const reason = `e2e node lost ${Date.now()}`;
  await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText(`Runner ${runnerId} on e2e-lost-node is forgotten.`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row).toHaveCount(0);
  // the demo's own runner is still listed, alive: drained for a moment (paused), then resumed
  const live = health.getByRole("row").filter({ hasText: /^Runner / }).first();
  await expect(live).toContainText("ok");
  await live.getByRole("button", { name: /^Pause runner / }).click();
  await expect(dialog).toContainText("it finishes the runs it has and claims no new one");
  const drain = `e2e drain ${Date.now()}`;
  await dialog.getByLabel(/Reason/).fill(drain);
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText("is paused: it claims no new run");
  await dialog.getByRole("button", { name: "Close" }).click();
  // who paused it, when and why, beside it
  await expect(live).toContainText(`paused by user:${emailOf("operator")}`);
  await expect(live).toContainText(`(“${drain}”): claims no new run`);
  await expect(page.getByTestId("runners-drained")).toHaveText("The only live runner is paused (Component health): queued runs wait.");
  await live.getByRole("button", { name: /^Resume runner / }).click();
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText("claims runs again");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(live).not.toContainText("paused");
  await expect(page.getByTestId("runners-drained")).toHaveCount(0);

  const audit = new AuditPage(page);
  await audit.goto();
  await expect(audit.rowWithReason(reason).first()).toContainText("runner.forget");
  await expect(audit.rowWithReason(drain).first()).toContainText("runner.pause");
});
