import { expect, test } from "@playwright/test";

test("the home page shows real rows from the database", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await expect(page.getByTestId("latest-migration")).toHaveText(/^\d{14}_\w+$/);
  await expect(page.getByTestId("services-count")).toHaveText(/^\d+$/);
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
});

test("health reports the database as up", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect((await res.json()).parts.database.status).toBe("ok");
});
