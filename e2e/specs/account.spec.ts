import { webUrl } from "../fixtures/cli";
import { expect, test } from "../fixtures/users";

// Everyone's own API tokens in a real Chromium against the real system: a viewer opens their
// account from the header, makes a token (shown once in the dialog), which the API then takes as
// them; they revoke it from the same page and the API refuses it from the next call.

test("a viewer makes an API token on their account page, uses it, and revokes it", async ({ page, signInAs }) => {
  const name = `e2e laptop ${Date.now().toString(36)}`;
  await signInAs("viewer", "/");
  await page.getByTitle("Your account and API tokens").click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New API token…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByLabel("Expires after").selectOption({ label: "30 days" });
  await dialog.getByLabel(/Reason/).fill("e2e: scripts");
  await dialog.getByRole("button", { name: "Make the token" }).click();
  await expect(dialog).toContainText(`The API token "${name}" acts as`);
  const token = await dialog.getByLabel("The new API token").inputValue();
  expect(token).toMatch(/^sy_[\w-]{30,}$/);
  await dialog.getByRole("button", { name: "Close" }).click();

  const asToken = async () => fetch(`${webUrl}/api/v1/account`, { headers: { authorization: `Bearer ${token}` } });
  const answer = await asToken();
  expect(answer.status).toBe(200);
  expect((await answer.json()).user.role).toBe("viewer");

  const row = page.getByTestId("token").filter({ hasText: name });
  await expect(row).toContainText("active");
  const in30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await expect(row).toContainText(in30);

  await row.getByRole("button", { name: `Revoke your token ${name}` }).click();
  await dialog.getByRole("button", { name: "Confirm: revoke" }).click();
  await expect(dialog).toContainText("revoked 1 token");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row).toContainText("revoked");
  await expect(row).toContainText(/\d+s ago/); // its last use: the call above
  await expect(row.getByRole("button")).toHaveCount(0);
  const refused = await asToken();
  expect(refused.status).toBe(401);
  expect((await refused.json()).error.code).toBe("token_revoked");
});
