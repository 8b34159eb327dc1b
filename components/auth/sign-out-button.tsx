"use client";


export function SignOutButton() {
  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    // a full page load: the session cookie changed, so the layout (user menu) must render again too
    window.location.replace(new URL("/sign-in", window.location.href).href);
  }
  return (
    <button type="button" onClick={signOut} className="rounded px-2 py-1 text-sm underline-offset-2 hover:underline">
      Sign out
    </button>
  );
}
