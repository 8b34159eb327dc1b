import { expect, test } from "../fixtures/users";
import { flakyDailies, type FlakyDaily } from "../fixtures/demo-failure";
import { AuditPage, DASHBOARD_PATHS, HomePage, RunPage } from "../pages/dashboard-pages";

// The dashboard in a real Chromium against the real system (`switchyard start`: embedded
// PostgreSQL, scheduler, runner with the demo fleet, web), signed in through the sign-in form.

test("no dashboard page or read model is shown to a visitor who is not signed in", async ({ page, request }) => {
  for (const path of DASHBOARD_PATHS) {
    await page.goto(path);
    await expect(page, `${path} must ask for sign-in`).toHaveURL(/\/sign-in/);
  }
  const res = await request.get("/api/v1/dashboard/home");
  expect(res.status()).toBe(401);
});

test.describe("a viewer", () => {
  test.beforeEach(async ({ signInAs }) => signInAs("viewer"));

  test("sees the fleet: counts, the weekly grid as a keyboard grid with letters and labels", async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    await expect(home.heading).toBeVisible();
    await expect(home.servicesCount).toHaveText(/^\d+$/);
    // Today's tiles add up: the four counts and the line under them ("2 not due yet · 1 cancelled")
    // make the total in the title. Read in one go: the page refreshes every few seconds.
    for (const tile of ["dailies", "hourlies"]) {
      const text = await page.getByTestId(`${tile}-tile`).innerText();
      const total = Number(/· (\d+)/.exec(text)![1]);
      const counts = [...text.matchAll(/^(\d+)$/gm)].map((m) => Number(m[1]));
      const rest = [...text.matchAll(/(\d+) (?:hours )?(?:not due yet|cancelled)/g)].map((m) => Number(m[1]));
      expect(counts, text).toHaveLength(4);
      expect(counts.concat(rest).reduce((a, b) => a + b, 0), text).toBe(total);
    }
    await home.focusFirstCell();
    await page.keyboard.press("ArrowRight");
    await expect(home.cellAt(0, 2)).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(home.cellAt(1, 2)).toBeFocused();
    await expect(home.focusedCell()).toHaveAttribute("aria-label", /^[a-z0-9_-]+, \d{4}-\d{2}-\d{2}: (done|running|pending|failed|cancelled|missing|not due)(, open incident)?$/);
    await expect(home.focusedCell()).toHaveText(/^[DRPFCM–]$/);
  });

  test("a day long before the fleet was added expects nothing: no letter M, no missed expected-done-by time", async ({ page }) => {
    const longAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/daily/${longAgo}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(longAgo);
    await expect(page.getByText("No expected-done-by time missed")).toBeVisible();
    await expect(page.getByText("not expected").first()).toBeVisible();
    await expect(page.getByText(/^service added \d{2}-\d{2} /).first()).toBeVisible();
    await expect(page.getByText(/missed their expected-done-by time/)).toHaveCount(0);
  });

  test("cannot act: no action buttons, and the control API answers 403", async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    await expect(home.heading).toBeVisible();
    await expect(page.getByRole("button", { name: /Re-run|Cancel run|Pause runners/ })).toHaveCount(0);
    await page.goto("/services");
    const first = page.getByRole("link", { name: /^[a-z0-9-]+$/ }).first();
    const name = (await first.textContent())!.trim();
    await page.goto(`/services/${name}`);
    await expect(page.getByRole("button", { name: /Backfill|Pause|Run today now/ })).toHaveCount(0);
    const rerun = await page.request.post("/api/v1/runs", { data: { service: name, kind: "daily", period: "2026-11-01" } });
    expect(rerun.status()).toBe(403);
    const forgive = await page.request.post("/api/v1/tasks/AllDailyTask_x_0000000000/forgive-failures", { data: {} });
    expect(forgive.status()).toBe(403);
  });
});

test.describe("an operator", () => {
  test("finds a failed daily in the grid, re-runs it, watches it turn D, and sees it in the audit log", async ({ page, signInAs }, testInfo) => {
    const screenshot = async (name: string) => {
      const path = testInfo.outputPath(`${name}.png`);
      await page.screenshot({ path });
      await testInfo.attach(name, { path, contentType: "image/png" });
    };
    test.setTimeout(600_000);
    await signInAs("operator");
    const home = new HomePage(page);
    await home.goto();
    await expect(home.heading).toBeVisible();
    // A period whose first attempt fails (failure injection) and has not been tried yet: missing,
    // queued or running. One already failed or lost for another reason would make our re-run the
    // first attempt, which fails.
    // Missing first (ours is then the only run), then running, then queued (behind the catch-up).
    const PREFERENCE = ["missing", "running", "pending"];
    const found: Array<FlakyDaily & { state: string }> = [];
    for (const candidate of flakyDailies()) {
      const label = (await home.cell(candidate.service, candidate.day).getAttribute("aria-label", { timeout: 5_000 }).catch(() => null)) ?? "";
      const state = label.slice(label.lastIndexOf(": ") + 2);
      if (PREFERENCE.includes(state)) found.push({ ...candidate, state });
    }
    found.sort((a, b) => PREFERENCE.indexOf(a.state) - PREFERENCE.indexOf(b.state));
    expect(found.length, "the demo seed gives a daily in the past week that fails once and has not run yet").toBeGreaterThan(0);
    const { service, day, family, state } = found[0];
    const cell = home.cell(service, day);
    // queue its first attempt ourselves: a manual run goes before the catch-up's scheduled ones
    if (state !== "running") {
      const seed = await page.request.post("/api/v1/runs", { data: { service, kind: "daily", period: day, reason: "e2e: first attempt" } });
      expect(seed.status(), await seed.text()).toBe(200);
    }
    await expect(cell, `${service} ${day} fails on ${family}`).toHaveText("F", { timeout: 300_000 });

    await cell.click();
    const run = new RunPage(page);
    await expect(run.heading()).toBeVisible();
    const reason = `e2e re-run ${service} ${day} ${Date.now()}`;
    await screenshot("failed-run");
    const newRun = await run.rerun(reason, screenshot);
    await newRun.click();
    await expect(run.heading()).toBeVisible();
    await expect(page.getByText(/^(queued|running|done)$/).first()).toBeVisible();

    await home.goto();
    await expect(home.cell(service, day), "the runner launches the re-run and it succeeds").toHaveText("D", { timeout: 300_000 });

    const audit = new AuditPage(page);
    await audit.goto();
    const row = audit.rowWithReason(reason);
    await expect(row, "one double click, one action").toHaveCount(1);
    await expect(row).toContainText("user:operator@e2e.example.com");
    await expect(row).toContainText("run.rerun");
    await expect(row).toContainText("ok");
    await screenshot("audit-log");
  });
});
