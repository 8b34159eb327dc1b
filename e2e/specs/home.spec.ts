import { expect, test } from "@playwright/test";

// The home page needs a signed-in user (every page calls requireActor()); what it shows once
// signed in is checked in dashboard.spec.ts with the fixtures in e2e/fixtures/users.ts.

test("the home page sends a visitor who is not signed in to sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("health reports the database as up", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect((await res.json()).parts.database.status).toBe("ok");
});
