// What the first-admin form and a password link's form do once their password is chosen: post it
// to their route, and when it is accepted, sign in with it and load the dashboard.

/** The error to show, or never returns (the page is replaced by the signed-in dashboard). */
export async function setPasswordThenSignIn(url: string, body: Record<string, unknown>, email: string, password: string, failed: string): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
  if (!response) return "Could not reach the server. Is Switchyard running?";
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    return answer?.error?.message ?? `${failed} (HTTP ${response.status}).`;
  }
  // The password is set. Sign in with it; when sign-ins from this address are being rate-limited
  // (3 in 10 s), wait as told and try once more. Should that fail too, the sign-in page follows.
  for (let attempt = 0; attempt < 2; attempt++) {
    const signIn = await fetch("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) }).catch(() => null);
    if (signIn?.status !== 429) break;
    const wait = Math.min(Number(signIn.headers.get("x-retry-after")) || 10, 15);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
  // a full page load: the session cookie changed, so the layout (user menu) must render again too
  window.location.replace(new URL("/", window.location.href).href);
  return new Promise<never>(() => {});
}
