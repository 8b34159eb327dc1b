import { gzipSync } from "node:zlib";
import { expect, test } from "../fixtures/users";
import { e2eDatabase } from "../fixtures/database";
import { queueFirstAttempt } from "../fixtures/demo-failure";

// Issue 13: an operator opens a failed run and sees the failing task and its exception first, and
// the drawn DAG and timeline show that run's tasks and nothing else — though every demo service's
// tasks for the same day share the `day` parameter and ran at the same time.

type RunJson = {
  run: { status: string; serviceName: string };
  tasks: Array<{ taskId: string; family: string; params: Record<string, string | null> }>;
  failures: Array<{ family: string }>;
};

test("an operator opens a failed run: the failing task and its exception lead, the DAG and timeline hold only its tasks", async ({ page, signInAs }, testInfo) => {
  test.setTimeout(600_000);
  await signInAs("operator");
  // a daily the demo fleet's failure injection fails once, on one task; its first attempt queued by us (or the catch-up)
  const { service, family, runId } = await queueFirstAttempt(page.request, "e2e: run page");
  let data: RunJson | null = null;
  await expect
    .poll(
      async () => {
        data = (await (await page.request.get(`/api/v1/dashboard/runs/${runId}`)).json()) as RunJson;
        return data.run.status;
      },
      { timeout: 300_000, intervals: [2_000] },
    )
    .toBe("failed");
  const run = data! as RunJson;
  // the read model holds only this service's tasks
  expect(run.tasks.length).toBeGreaterThan(1);
  for (const t of run.tasks) expect(t.params.service_id, `${t.taskId} belongs to ${service}`).toBe(service);
  const ids = new Set(run.tasks.map((t) => t.taskId));

  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Run ${runId}\\b`) })).toBeVisible();

  // the Error box leads with the failed task and its exception; the runner's conclusion comes after
  const errorBox = page.getByTestId("run-error");
  const failed = errorBox.getByTestId("failed-task").first();
  await expect(failed).toContainText(family);
  await expect(failed).toContainText(`service_id=${service}`);
  await expect(failed.getByTestId("failed-task-exception")).toHaveText(new RegExp(`InjectedFailure: injected failure of ${family}`));
  await expect(failed.getByRole("button", { name: `Re-run from ${family}` })).toBeVisible();
  await expect(failed.getByRole("link", { name: "Full traceback" })).toBeVisible();
  const conclusion = errorBox.getByText("What the runner concluded");
  if (await conclusion.count()) {
    const [a, b] = [await failed.boundingBox(), await conclusion.boundingBox()];
    expect(a!.y, "the failed task is above the runner's inference").toBeLessThan(b!.y);
  }

  // the DAG: laid out in the browser, every node one of the run's tasks, with its status letter
  const dag = page.getByTestId("run-dag");
  const openAll = dag.getByRole("button", { name: "Open all" });
  await expect(openAll).toBeVisible();
  if (await openAll.isEnabled()) await openAll.click(); // done subtrees start collapsed
  const nodes = dag.locator("g[data-task-id]");
  await expect(nodes.first()).toBeVisible({ timeout: 60_000 });
  await expect(nodes).toHaveCount(run.tasks.length);
  for (const id of await nodes.evaluateAll((els) => els.map((e) => e.getAttribute("data-task-id")))) expect(ids.has(id!), `${id} in the DAG is a task of the run`).toBe(true);
  const failedNode = dag.locator(`g[data-status="FAILED"]`);
  await expect(failedNode).toHaveCount(1);
  await expect(failedNode).toHaveAttribute("aria-label", new RegExp(`^${family} .*FAILED`));
  // keyboard: the root takes the focus first; ← walks to a dependency and highlights
  await nodes.filter({ has: page.locator("title") }).first().focus();
  await page.keyboard.press("ArrowLeft");
  await expect(dag.locator("g[data-task-id]:focus")).toHaveCount(1);

  await page.screenshot({ path: testInfo.outputPath("run-page.png"), fullPage: true });

  // the timeline: one row per task that reported during the run, all of them the run's
  const rows = page.getByTestId("run-timeline").locator("g[data-task-id]");
  await expect(rows.first()).toBeVisible();
  for (const id of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-task-id")))) expect(ids.has(id!), `${id} in the timeline is a task of the run`).toBe(true);

  // the Tasks page finds the failed task by its family and parameters, and leads back to a run of it
  const failedTask = run.tasks.find((t) => t.family === family)!;
  const params = Object.entries(failedTask.params).slice(0, 5).map(([k, v]) => `&param=${encodeURIComponent(`${k}=${v ?? ""}`)}`);
  await page.goto(`/tasks?family=${family}${params.join("")}`);
  const runLink = page.locator("tbody tr").first().getByTestId("task-run");
  await expect(runLink).toHaveAttribute("href", /^\/runs\/\d+$/);
  const linked = Number((await runLink.getAttribute("href"))!.split("/").pop());
  expect(linked, "the newest run of the failed task: this one or a later re-run").toBeGreaterThanOrEqual(runId);
  const linkedRun = (await (await page.request.get(`/api/v1/dashboard/runs/${linked}`)).json()) as RunJson;
  expect(linkedRun.run.serviceName).toBe(service);
  await page.goto(`/runs/${runId}`);

  // on a phone the chart is drawn at the frame's width, 1:1 (a scaled-down wide chart had 7 px labels)
  await page.setViewportSize({ width: 390, height: 844 });
  const chart = page.getByTestId("run-timeline").locator("svg");
  const fit = () => chart.evaluate((svg) => ({ drawn: Math.round(svg.getBoundingClientRect().width), box: (svg as SVGSVGElement).viewBox.baseVal.width, frame: svg.parentElement!.clientWidth }));
  await expect.poll(async () => { const f = await fit(); return f.drawn === f.box && f.drawn <= f.frame; }, { message: "the timeline fits the phone's frame at scale 1" }).toBe(true);
});

test("a run whose runner pod is gone shows the end of its log kept in the database, says so, and searches it", async ({ page, signInAs }) => {
  // As Kubernetes leaves it: the run's log was in a runner pod's emptyDir, that pod is gone (its
  // log_url answers nothing), and the end of the log was kept when the run ended.
  const db = await e2eDatabase();
  const tag = Date.now().toString(16).slice(-8);
  let runId: number;
  try {
    const host = await db.query("INSERT INTO hosts (name) VALUES ('e2e-gone-pod') ON CONFLICT (name) DO UPDATE SET last_seen_at = now() RETURNING id");
    const runnerId = `e2e-gone-pod-${tag}`;
    await db.query(
      "INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at, stopped_at, log_url) VALUES ($1, $2, 4343, now() - interval '3 days', now() - interval '2 days', now() - interval '2 days', 'http://127.0.0.1:9')",
      [runnerId, host.rows[0].id],
    );
    const service = (await db.query("SELECT id FROM services ORDER BY name LIMIT 1")).rows[0].id;
    const run = await db.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, request_key, started_at, last_update_at, finished_at, exit_code, host, runner_id, log_path)
       VALUES ($1, 'daily', '2019-06-01T00:00:00Z', '2019-06-01', 'manual', 'done', $2, now() - interval '2 days 1 hour', now() - interval '2 days', now() - interval '2 days', 0, 'e2e-gone-pod', $3, $4) RETURNING id`,
      [service, `e2e-kept-log-${tag}`, runnerId, `/var/lib/switchyard/runs/run-e2e-${tag}.log`],
    );
    runId = Number(run.rows[0].id);
    const end = Buffer.from(`${Array.from({ length: 400 }, (_, i) => `loading row ${i}`).join("\n")}\nTraceback (most recent call last):\nKeyError: customer_id\n`);
    await db.query("INSERT INTO run_log_tails (run_id, size, start, content) VALUES ($1, $2, $3, $4)", [runId, end.length + 5_000_000, 5_000_000, gzipSync(end)]);
  } finally {
    await db.end();
  }
  await signInAs("viewer", `/runs/${runId}`);
  await expect(page.getByTestId("log-kept")).toHaveText(/^Showing its last \d+ KiB \(of 5,00\d,\d{3} bytes\), kept in the database when the run ended \(.+ UTC\)\. The log file cannot be read: the runner that wrote it \(http:\/\/127\.0\.0\.1:9\) did not answer/);
  await expect(page.getByLabel("Run log")).toContainText("KeyError: customer_id");
  await page.getByLabel("Search the kept end of the log").fill("keyerror");
  await page.getByRole("button", { name: "Search" }).click();
  const results = page.getByTestId("log-search-results");
  await expect(results).toContainText("1 line with “keyerror” in 402 lines of the kept end");
  await expect(results).toContainText("KeyError: customer_id");
  await expect(page.getByRole("link", { name: "Download the kept end" })).toHaveAttribute("href", `/api/v1/dashboard/runs/${runId!}/log/download`);
});

test("the favicon, app icons and web manifest are served to anyone, and every page links them", async ({ page, request }) => {
  for (const [path, type] of [
    ["/favicon.ico", /image/],
    ["/favicon.svg", /image\/svg\+xml/],
    ["/icon-192.png", /image\/png/],
    ["/icon-512.png", /image\/png/],
    ["/manifest.webmanifest", /manifest\+json|json/],
  ] as const) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), `${path} without signing in`).toBe(200);
    expect(res.headers()["content-type"]).toMatch(type);
  }
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="icon"][type="image/svg+xml"]')).toHaveAttribute("href", "/favicon.svg");
});
