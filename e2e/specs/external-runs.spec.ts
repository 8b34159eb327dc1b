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
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

test("a cron-launched run shows R then D; rerun from the CLI launches a runner-owned run, audited as the token", async ({ page, signInAs }) => {
  test.setTimeout(300_000);
  const stamp = Date.now();
  const admin = await apiToken("admin", `e2e-sync-${stamp}`);
  const sync = await switchyard(["services", "sync", "e2e/fixtures/cron-shop.services.json", "--reason", "e2e: adopt the cron shop"], admin.env);
  expect(sync, sync.stderr).toMatchObject({ code: 0 });

  // What cron would start: the shop's worker, by hand, holding its work until we have seen it run.
  const outputs = fs.mkdtempSync(path.join(os.tmpdir(), "cron-shop-"));
  const release = path.join(outputs, "release");
  const worker = startProcess(["run", "--module", "e2e/fixtures/cron-shop.ts", "CronShopDaily", "--service", SERVICE, "--day", yesterday, "--scheduler-url", schedulerUrl], {
    CRON_SHOP_DIR: outputs,
    CRON_SHOP_RELEASE: release,
  });
  try {
    await signInAs("operator");
    const home = new HomePage(page);
    const cell = home.cell(SERVICE, yesterday);
    const letter = async (wanted: string) =>
      expect(async () => {
        await home.goto();
        await expect(cell).toHaveText(wanted, { timeout: 3_000 });
      }, `the ${SERVICE} ${yesterday} cell shows ${wanted}`).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });

    await letter("R");
    await expect(cell).toHaveAttribute("aria-label", `${SERVICE}, ${yesterday}: running`);
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

    fs.writeFileSync(release, "go\n");
    expect(await worker.exited, worker.output()).toBe(0);
    await letter("D");

    // Re-run the period from a script: the runner launches it (trigger manual, on this host).
    const reason = `e2e: re-run the cron period ${stamp}`;
    const rerun = await switchyard(["runs", "rerun", SERVICE, yesterday, "--reason", reason], operator.env);
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
    if (worker.child.exitCode === null) worker.child.kill("SIGTERM");
    fs.rmSync(outputs, { recursive: true, force: true });
  }
});
