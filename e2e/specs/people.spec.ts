import { databaseEnv, switchyard, webUrl } from "../fixtures/cli";
import { expect, test } from "../fixtures/users";

// The People page in a real Chromium against the real system: an admin makes a viewer an
// operator, revokes the token they leaked and disables them — each confirmed in the dialog, each
// effective at once (the token is refused by the API) and each in the audit log under the admin's
// name. An operator sees neither the page nor its link.

test("an admin changes a role, revokes a token and disables an account, each at once and audited", async ({ page, signInAs }) => {
  const email = `leaver-${Date.now().toString(36)}@e2e.example.com`;
  const added = await switchyard(["user", "add", "--email", email, "--name", "Leaver", "--role", "viewer", "--password", "e2e-password-leaver"], databaseEnv);
  expect(added.code, added.stderr).toBe(0);
  const made = await switchyard(["user", "token", "--email", email, "--name", "laptop"], databaseEnv);
  const token = /sy_[A-Za-z0-9_-]+/.exec(made.stdout)?.[0];
  expect(token, made.stderr).toBeTruthy();
  const useToken = async () => (await fetch(`${webUrl}/api/v1/runs?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status;
  expect(await useToken()).toBe(200);

  await signInAs("admin", "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
  const row = page.getByTestId("person").filter({ hasText: email });
  await expect(row).toContainText("laptop");
  await expect(row).toContainText("used");

  // role: pick, then confirm with a reason
  await row.getByLabel(`Role of ${email}`).selectOption("operator");
  await row.getByRole("button", { name: "Change…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Make ${email} operator (now viewer)`);
  await dialog.getByLabel(/Reason/).fill("e2e: on call");
  await dialog.getByRole("button", { name: "Confirm: change role" }).click();
  await expect(dialog).toContainText(`${email} is now operator (was viewer)`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("operator");

  // the leaked token
  await row.getByRole("button", { name: `Revoke the token laptop of ${email}` }).click();
  await dialog.getByRole("button", { name: "Confirm: revoke" }).click();
  await expect(dialog).toContainText(`revoked 1 token`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row).toContainText("1 expired or revoked");
  expect(await useToken()).toBe(401);

  // and the account
  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await dialog.getByLabel(/Reason/).fill("e2e: left the team");
  await dialog.getByRole("button", { name: "Confirm: disable" }).click();
  await expect(dialog).toContainText(`${email} is disabled: signed out everywhere`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row).toContainText("disabled");
  await expect(row.getByRole("button", { name: `Enable ${email}` })).toBeVisible();

  // the account's history, newest first: the admin's three changes, then its creation on the command line
  await row.getByRole("link", { name: "history" }).click();
  await expect(page).toHaveURL(/\/audit\?targetType=user&targetId=/);
  const entries = page.locator("tbody tr");
  await expect(entries).toHaveCount(5);
  await expect(entries.nth(0)).toContainText("user.disable");
  await expect(entries.nth(0)).toContainText("e2e: left the team");
  await expect(entries.nth(1)).toContainText("token.revoke");
  await expect(entries.nth(2)).toContainText("user.role");
  await expect(entries.nth(2)).toContainText("e2e: on call");
  for (const i of [0, 1, 2]) await expect(entries.nth(i)).toContainText("user:admin@e2e.example.com");
  await expect(entries.nth(3)).toContainText("token.create");
  await expect(entries.nth(4)).toContainText("user.add");
  for (const i of [3, 4]) await expect(entries.nth(i)).toContainText("system:cli");
});

test("an admin invites someone, who sets their password with the link and is signed in with their role", async ({ page, signInAs, browser }) => {
  const email = `newcomer-${Date.now().toString(36)}@e2e.example.com`;
  await signInAs("admin", "/people");
  await page.getByRole("button", { name: "Invite someone…" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite someone" });
  await dialog.getByLabel("E-mail address").fill(email);
  await dialog.getByLabel("Name", { exact: true }).fill("Newcomer");
  await dialog.getByLabel("Role").selectOption("operator");
  await dialog.getByRole("button", { name: "Invite and make the link" }).click();
  await expect(dialog).toContainText(`${email} is invited as operator`);
  const link = await dialog.getByLabel("The link to send").inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\?token=/);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("person").filter({ hasText: email })).toContainText("invited: no password yet");

  // the newcomer, in a browser of their own
  const theirs = await browser.newContext();
  const newcomer = await theirs.newPage();
  await newcomer.goto(link);
  await expect(newcomer.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await expect(newcomer.getByText(`For Newcomer (${email})`)).toBeVisible();
  await newcomer.getByLabel("New password").fill("newcomer-password-1");
  await newcomer.getByLabel("The same again").fill("newcomer-password-1");
  await newcomer.getByRole("button", { name: "Set password and sign in" }).click();
  // (all of this suite's sign-ins come from one address: when the last 10 s had 3, the form waits as told, up to 10 s)
  await expect(newcomer.getByTestId("signed-in-as")).toHaveText(`${email} · operator`, { timeout: 20_000 });
  // the link worked once
  await newcomer.goto(link);
  await expect(newcomer.getByText("This link is invalid, expired or already used")).toBeVisible();
  await theirs.close();

  await page.reload();
  await expect(page.getByTestId("person").filter({ hasText: email })).toContainText("signed in on 1 browser");
});

test("an operator sees no People link and is refused the page", async ({ page, signInAs }) => {
  await signInAs("operator", "/");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toHaveCount(0);
  await page.goto("/people");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});
