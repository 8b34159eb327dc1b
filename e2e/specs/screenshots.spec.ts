import { expect, test } from "../fixtures/users";

// A screenshot of every dashboard page, light and dark, desktop and phone, saved in the test
// output (test-results/e2e/…/<page>-<variant>.png) and attached to the report.

test("a screenshot of every page", async ({ page, signInAs }, testInfo) => {
  test.setTimeout(240_000);
  await signInAs("operator");
  await page.goto("/services");
  const service = (await page.getByRole("link", { name: /^[a-z0-9-]+$/ }).first().textContent())!.trim();
  // a failed run shows the most (error, task graph, actions); else any finished one
  let runId: number | undefined;
  for (const status of ["failed", "done"]) {
    const runs = await page.request.get(`/api/v1/runs?status=${status}`);
    runId ??= runs.ok() ? ((await runs.json()).runs?.[0]?.id as number | undefined) : undefined;
  }
  const today = new Date().toISOString().slice(0, 10);
  const pages: Array<[string, string]> = [
    ["home", "/"],
    ["daily", "/daily"],
    ["daily-day", `/daily/${today}`],
    ["hourly", "/hourly"],
    ["services", "/services"],
    ["service", `/services/${service}`],
    ...(runId ? ([["run", `/runs/${runId}`]] as Array<[string, string]>) : []),
    ["tasks", "/tasks"],
    ["audit", "/audit"],
  ];
  const variants = [
    { name: "desktop", viewport: { width: 1400, height: 1000 }, dark: false },
    { name: "desktop-dark", viewport: { width: 1400, height: 1000 }, dark: true },
    { name: "phone", viewport: { width: 390, height: 844 }, dark: false },
  ];
  for (const v of variants) {
    await page.setViewportSize(v.viewport);
    await page.emulateMedia({ colorScheme: v.dark ? "dark" : "light" });
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
      // grids skip rendering rows off screen (content-visibility: auto); a full-page picture needs them all
      await page.addStyleTag({ content: "* { content-visibility: visible !important; }" });
      const file = testInfo.outputPath(`${name}-${v.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${name}-${v.name}`, { path: file, contentType: "image/png" });
      // readable on a phone: tables scroll inside their frame, the page itself never sideways
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) {
        // name the outermost elements that stick out, so the failure says what to fix
        const culprits = await page.evaluate(() =>
          [...document.body.querySelectorAll("*")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && (e.parentElement?.getBoundingClientRect().right ?? 0) <= window.innerWidth + 1)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`.slice(0, 160)),
        );
        await testInfo.attach(`${name}-${v.name}-overflow`, { body: culprits.join("\n"), contentType: "text/plain" });
      }
      expect.soft(overflow, `${path} is wider than the ${v.name} screen`).toBeLessThanOrEqual(0);
    }
  }

  // the backfill dialog with its preview (the control API's dry run), as an operator sees it
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`/services/${service}`);
  await page.getByRole("button", { name: "Backfill…" }).click();
  const dialog = page.getByRole("dialog", { name: `Backfill ${service}` });
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  await dialog.getByLabel("From", { exact: true }).fill(day(20));
  await dialog.getByLabel("To", { exact: true }).fill(day(10));
  await dialog.getByRole("button", { name: "Preview" }).click();
  await expect(dialog).toContainText(/This will queue \d+ daily runs? of|Nothing to queue/);
  await expect(dialog.getByRole("button", { name: /^Confirm: queue/ })).toBeVisible();
  const file = testInfo.outputPath("backfill-preview.png");
  await page.screenshot({ path: file });
  await testInfo.attach("backfill-preview", { path: file, contentType: "image/png" });
});
