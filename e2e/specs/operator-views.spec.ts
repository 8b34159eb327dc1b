import { LuigiClient } from "../../lib/luigi-rpc/client";
import { expect, test } from "../fixtures/users";
import { AuditPage } from "../pages/dashboard-pages";

// Luigi's operator views in the dashboard, and editing a service, in a real Chromium against the
// real system. The worker here announces itself to the real scheduler over HTTP as a Luigi worker
// does (add_worker with its info, then a ping every few seconds), so disabling it from the workers
// view reaches a live worker, not a row in a table.

const scheduler = new LuigiClient(`http://127.0.0.1:${process.env.E2E_SCHEDULER_PORT ?? "8182"}`, { attempts: 1, userAgent: "e2e-worker" });
const callLuigi = (_url: unknown, method: string, args: Record<string, unknown>) => scheduler.call(method, args);
const schedulerUrl = scheduler.url;

test("an operator disables a worker from the workers view, and the action is in the audit log", async ({ page, signInAs }) => {
  const worker = `Worker(salt=e2e${Date.now()}, workers=1, host=e2e-host, username=e2e, pid=4321)`;
  await callLuigi(schedulerUrl, "add_worker", { worker, info: { salt: "e2e", workers: 1, host: "e2e-host", username: "e2e", pid: 4321 } });
  const pings = setInterval(() => void callLuigi(schedulerUrl, "ping", { worker }).catch(() => {}), 3_000);
  try {
    await signInAs("operator", "/workers");
    await expect(page.getByRole("heading", { name: "Workers", level: 1 })).toBeVisible();
    const row = page.getByTestId("worker-row").filter({ hasText: worker });
    await expect(row).toContainText("e2e-host");
    await row.getByRole("button", { name: `Disable ${worker}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("gives it no new task");
    const reason = `e2e disable ${Date.now()}`;
    await dialog.getByLabel(/Reason/).fill(reason);
    await dialog.getByRole("button", { name: /Confirm/ }).click();
    await expect(dialog).toContainText("is disabled");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(row).toContainText("disabled");

    const workers = (await callLuigi(schedulerUrl, "worker_list", {})) as Array<{ name: string; state: string }>;
    expect(workers.find((w) => w.name === worker)?.state).toBe("disabled");

    const audit = new AuditPage(page);
    await audit.goto();
    await expect(audit.rowWithReason(reason).first()).toContainText("worker.disable");
  } finally {
    clearInterval(pings);
  }
});

test("an admin edits a service's daily time: the diff is shown first, then the next daily run follows it", async ({ page, signInAs }) => {
  await signInAs("admin", "/services");
  const first = page.getByRole("link", { name: /^[a-z0-9-]+$/ }).first();
  const name = (await first.textContent())!.trim();
  await page.goto(`/services/${name}`);
  const next = page.getByTestId("next-daily");
  const before = await next.textContent();
  await page.getByText("Edit this service").click();
  const form = page.getByTestId("service-edit");
  const time = form.getByLabel("Daily run due at");
  const old = await time.inputValue();
  const wanted = old === "23:45" ? "23:30" : "23:45";
  await time.fill(wanted);
  await form.getByRole("button", { name: "Review changes" }).click();
  await expect(form.getByTestId("service-diff-row")).toHaveCount(1);
  await expect(form.getByTestId("service-diff-row")).toContainText(wanted);
  const save = form.getByRole("button", { name: "Save changes" });
  await expect(save).toBeDisabled(); // a reason is required
  const reason = `e2e edit ${Date.now()}`;
  await form.getByLabel(/Reason/).fill(reason);
  await save.click();
  await expect(form.getByRole("status")).toContainText("Saved");
  await expect(next).not.toHaveText(before ?? "");

  const api = await page.request.get(`/api/v1/services/${name}`);
  expect((await api.json()).service.dailyTime).toBe(wanted);
  const audit = new AuditPage(page);
  await audit.goto();
  await expect(audit.rowWithReason(reason).first()).toContainText("service.update");
});

test("the dashboard runs under its Content-Security-Policy with no violation, and refuses Origin: null", async ({ page, signInAs }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) violations.push(m.text());
  });
  await signInAs("operator", "/");
  for (const path of ["/", "/services", "/trends", "/workers", "/audit"]) {
    const res = await page.goto(path);
    expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.waitForLoadState("networkidle");
  }
  expect(violations).toEqual([]);
  const nullOrigin = await page.request.post("/api/v1/runner/pause", { headers: { origin: "null" }, data: {} });
  expect(nullOrigin.status()).toBe(403);
});

test("an operator silences a service's alerts from its page, sees the silence on /incidents and ends it there; both are audited", async ({ page, signInAs }) => {
  test.setTimeout(300_000);
  const reason = `e2e silence ${Date.now()}`;
  await signInAs("operator", "/");
  // a service with an open incident (the demo fleet's injected failures open them), so /incidents
  // shows that incident as silenced too
  let incident: { id: number; serviceName: string } | undefined;
  await expect
    .poll(
      async () => {
        const open = (await (await page.request.get("/api/v1/incidents")).json()) as { incidents: Array<{ id: number; serviceName: string | null }> };
        incident = open.incidents.find((i): i is { id: number; serviceName: string } => typeof i.serviceName === "string");
        return incident !== undefined;
      },
      { timeout: 240_000, intervals: [3_000] },
    )
    .toBe(true);
  const service = incident!.serviceName;
  await page.goto(`/services/${service}`);
  await page.getByLabel("Silence for").selectOption({ label: "for 4 hours" });
  await page.getByRole("button", { name: `Silence the alerts of ${service} for 4 hours` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Silence the alerts of ${service} for 4 hours`);
  await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText(`The alerts of ${service} are silenced until`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("service-silence")).toContainText(reason);
  await expect(page.getByRole("button", { name: "End silence" })).toBeVisible();

  await page.goto("/incidents");
  // its open incident says nobody was paged for it (unless it resolved meanwhile)
  const incidentRow = page.locator(`tr[data-incident="${incident!.id}"]`);
  if ((await incidentRow.getAttribute("data-status", { timeout: 5_000 }).catch(() => null)) === "open") await expect(incidentRow.getByTestId("incident-silenced")).toContainText("silenced until");
  const row = page.getByTestId("silences").locator(`[data-silence="${service}"]`);
  await expect(row).toContainText(reason);
  await expect(row).toContainText("operator@e2e.example.com");
  await row.getByRole("button", { name: "End silence" }).click();
  await expect(dialog).toContainText(`End the silence of ${service} now`);
  await dialog.getByRole("button", { name: /Confirm/ }).click();
  await expect(dialog).toContainText(`The silence of ${service} ended`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.locator(`[data-silence="${service}"]`)).toHaveCount(0);

  const audit = new AuditPage(page);
  await audit.goto();
  await expect(audit.rowWithReason(reason).first()).toContainText("service.silence");
  await expect(page.getByRole("row").filter({ hasText: "service.unsilence" }).first()).toContainText(service);
});
