// The real dashboard on the bench database, for the drivers that measure it over HTTP or in
// Chromium (http.ts, trace.ts, home-incidents.ts): `switchyard web` (the production build) in a
// data folder of its own, an operator created once in the bench database, signed in through
// better-auth like a browser.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { createUserWithPassword } from "@/lib/auth/users";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl } from "@/lib/testing/processes";

const EMAIL = "bench@example.com";
const PASSWORD = "bench-password-123";

export type BenchWeb = {
  base: string;
  /** the session cookie header of the signed-in operator */
  cookie: string;
  /** the cookie as Playwright's context.addCookies() takes it */
  browserCookies(): Array<{ name: string; value: string; url: string }>;
  stop(): Promise<void>;
};

export async function startBenchWeb(pool: pg.Pool, databaseUrl: string): Promise<BenchWeb> {
  if ((await pool.query("SELECT 1 FROM users WHERE email = $1", [EMAIL])).rowCount === 0) await createUserWithPassword(pool, { email: EMAIL, name: "Bench", password: PASSWORD, role: "operator" });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-web-"));
  const web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: databaseUrl, PORT: String(port), SWITCHYARD_HOME: home, SCHEDULER_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" });
  const stop = async () => {
    await web.stop();
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForUrl(`${base}/api/v1/health`, web, 120_000);
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    if (!signIn.ok) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const browserCookies = () => cookie.split("; ").map((c) => ({ name: c.slice(0, c.indexOf("=")), value: c.slice(c.indexOf("=") + 1), url: base }));
    return { base, cookie, browserCookies, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
