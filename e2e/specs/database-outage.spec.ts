import { e2eDatabase } from "../fixtures/database";
import { expect, test } from "../fixtures/users";
import { HomePage } from "../pages/dashboard-pages";
import { parentOf, postgresChildren } from "../../lib/testing/postgres-processes";

// PostgreSQL goes away while an operator has the dashboard open: its server processes killed and
// the postmaster frozen (so that nothing restarts it until the test lets it go, as a host that
// hangs). The page they open says the database is not answering — not a bare "server error" — and
// once the postmaster runs again and recovers, the page loads by itself.

/** The postmaster: the parent of a backend. */
async function postmaster(): Promise<number> {
  const db = await e2eDatabase();
  try {
    const backend = (await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    const parent = parentOf(backend);
    if (!parent) throw new Error(`no parent for backend ${backend}`);
    return parent;
  } finally {
    await db.end();
  }
}

test("the dashboard opened while PostgreSQL is down says so, and loads by itself once it is back", async ({ page, signInAs, request }) => {
  test.setTimeout(150_000);
  await signInAs("viewer", "/");
  const home = new HomePage(page);
  await expect(home.heading).toBeVisible();

  const pid = await postmaster();
  process.kill(pid, "SIGSTOP");
  try {
    for (const child of postgresChildren(pid)) process.kill(child, "SIGKILL");
    await home.goto();
    await expect(page.getByRole("heading", { name: "The database is not answering" })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/^database down since \d{4}-\d\d-\d\dT/)).toBeVisible();
    // the header is still there: the way to the other pages
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    // and the API a signed-in page polls says the same, as a 503 to try again later (not a 500)
    const api = await page.request.get("/api/v1/services");
    expect(api.status()).toBe(503);
    expect((await api.json()).error.code).toBe("database_unavailable");
  } finally {
    process.kill(pid, "SIGCONT");
  }
  // the postmaster finds its children gone, recovers, and answers: the page reloads itself
  await expect(home.heading).toBeVisible({ timeout: 60_000 });
  await expect(home.weeklyGrid).toBeVisible();
  // every part this spec broke well again before the next spec (not Alerts: the e2e webhook's
  // receiver lives only as long as the alerts spec, so its channel fails after it, as it should)
  const parts = async () => Object.fromEntries(Object.entries((await (await request.get("/api/v1/health")).json()).parts as Record<string, { status: string }>).map(([k, v]) => [k, v.status]));
  await expect.poll(parts, { timeout: 60_000 }).toMatchObject({ database: "ok", scheduler: "ok", runner: "ok", web: "ok" });
});
