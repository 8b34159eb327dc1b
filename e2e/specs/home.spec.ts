import { emailOf, expect, PASSWORD, test } from "../fixtures/users";

// The home page needs a signed-in user (every page calls requireActor()); what it shows once
// signed in is checked in dashboard.spec.ts with the fixtures in e2e/fixtures/users.ts.

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
