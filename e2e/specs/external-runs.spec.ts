import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { apiToken, schedulerUrl, startProcess, switchyard } from "../fixtures/cli";
import { emailOf, expect, test } from "../fixtures/users";
import { AuditPage, HomePage } from "../pages/dashboard-pages";

// Bring your own fleet (issue 12), as a shop that launches from cron does: its service is synced
// into the running system as observe-only (`"launch": false`, e2e/fixtures/cron-shop.services.json,
// through `switchyard services sync`, so the demo fleet the other specs use stays as it is); a
// worker started by hand — outside the runner, the TypeScript SDK speaking Luigi's RPC to the
// scheduler — runs a period, and the grid cell turns R, then D. The period cannot be cancelled from
// Switchyard (it did not launch it), and `switchyard runs rerun` launches a runner-owned run,
// audited as the token.

const SERVICE = "zz-cron-shop";
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** The shop's services file, synced as an admin's script would (idempotent: a second sync changes nothing). */
async function syncCronShop(stamp: number) {
  const admin = await apiToken("admin", `e2e-sync-${stamp}`);
  const sync = await switchyard(["services", "sync", "e2e/fixtures/cron-shop.services.json", "--reason", "e2e: adopt the cron shop"], admin.env);
  expect(sync, sync.stderr).toMatchObject({ code: 0 });
}

/** What cron would start: the shop's worker, by hand, holding its work until `release()`. */
function cronWorker(day: string, env: Record<string, string> = {}) {
  const outputs = fs.mkdtempSync(path.join(os.tmpdir(), "cron-shop-"));
  const release = path.join(outputs, "release");
  const worker = startProcess(["run", "--module", "e2e/fixtures/cron-shop.ts", "CronShopDaily", "--service", SERVICE, "--day", day, "--scheduler-url", schedulerUrl], {
    CRON_SHOP_DIR: outputs,
    CRON_SHOP_RELEASE: release,
    ...env,
  });
  return {
    ...worker,
    release: () => fs.writeFileSync(release, "go\n"),
    cleanUp: () => {
      if (worker.child.exitCode === null) worker.child.kill("SIGTERM");
      fs.rmSync(outputs, { recursive: true, force: true });
    },
  };
}

/** Waits until the home page's weekly grid shows `letter` for the shop's period (reloading: a page polls slower when idle). */
async function expectLetter(home: HomePage, day: string, letter: string, timeout = 90_000) {
  const cell = home.cell(SERVICE, day);
  await expect(async () => {
    await home.goto();
    await expect(cell).toHaveText(letter, { timeout: 3_000 });
  }, `the ${SERVICE} ${day} cell shows ${letter}`).toPass({ timeout, intervals: [1_000, 2_000] });
  return cell;
}

test("a cron-launched run shows R then D; rerun from the CLI launches a runner-owned run, audited as the token", async ({ page, signInAs }) => {
  test.setTimeout(300_000);
  const stamp = Date.now();
  const day = daysAgo(1);
  await syncCronShop(stamp);
  const worker = cronWorker(day);
  try {
    await signInAs("operator");
    const home = new HomePage(page);
    const cell = await expectLetter(home, day, "R");
    await expect(cell).toHaveAttribute("aria-label", new RegExp(`^${SERVICE}, ${day}: running(, open incident)?$`));
    const external = Number(/\/runs\/(\d+)/.exec((await cell.locator("xpath=ancestor-or-self::a").first().getAttribute("href")) ?? "")?.[1]);
    expect(external, "the running cell links to its run").toBeGreaterThan(0);

    // Its run page says it was launched elsewhere and offers no Cancel; the CLI is refused the same way.
    await page.goto(`/runs/${external}`);
    await expect(page.getByText(/external/).first()).toBeVisible();
    await expect(page.getByTestId("external-cancel-note")).toContainText("Switchyard cannot stop it");
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
    const operator = await apiToken("operator", `e2e-cli-${stamp}`);
    const cancel = await switchyard(["runs", "cancel", String(external)], operator.env);
    expect(cancel.code, cancel.stderr).toBe(3);
    expect(cancel.stderr).toMatch(/launched outside Switchyard .*Stop it where it was started/);

    worker.release();
    expect(await worker.exited, worker.output()).toBe(0);
    await expectLetter(home, day, "D");

    // Re-run the period from a script: the runner launches it (trigger manual, on this host).
    const reason = `e2e: re-run the cron period ${stamp}`;
    const rerun = await switchyard(["runs", "rerun", SERVICE, day, "--reason", reason], operator.env);
    expect(rerun, rerun.stderr).toMatchObject({ code: 0 });
    const id = Number(/queued run (\d+)/.exec(rerun.stdout)?.[1]);
    expect(id).toBeGreaterThan(external);
    await expect
      .poll(async () => (await (await page.request.get(`/api/v1/runs/${id}`)).json()).run, { timeout: 180_000, message: "the runner launches the re-run" })
      .toMatchObject({ trigger: "manual", status: expect.stringMatching(/^(running|done)$/), host: expect.any(String) });

    const audit = new AuditPage(page);
    await audit.goto();
    const row = audit.rowWithReason(reason);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`token:e2e-cli-${stamp} (${emailOf("operator")})`);
    await expect(row).toContainText("run.rerun");
  } finally {
    worker.cleanUp();
  }
});

test("a cron-launched run whose work fails shows R then F", async ({ page, signInAs }) => {
  // The root task stays PENDING (its dependency failed): F comes when the scheduler drops the
  // finished worker (worker_disconnect_delay, 60 s by default), as with Python Luigi.
  test.setTimeout(300_000);
  const day = daysAgo(2);
  await syncCronShop(Date.now());
  const worker = cronWorker(day, { CRON_SHOP_FAIL: "1" });
  try {
    await signInAs("viewer");
    const home = new HomePage(page);
    await expectLetter(home, day, "R");
    worker.release();
    await worker.exited; // the SDK exits with Luigi's task-failed code: the run's status comes from the scheduler either way
    const cell = await expectLetter(home, day, "F", 150_000);
    // a failed run with no retry left also opens an incident, which the cell's label says
    await expect(cell).toHaveAttribute("aria-label", new RegExp(`^${SERVICE}, ${day}: failed(, open incident)?$`));
  } finally {
    worker.cleanUp();
  }
});
