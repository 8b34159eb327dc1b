"use client";

import { useState } from "react";

/** Creates the first admin with the one-time token from `switchyard start`, then signs in. */
export function SetupForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    const response = await fetch("/api/v1/setup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, email, name: form.get("name"), password }),
    }).catch(() => null);
    if (!response) {
      setError("Could not reach the server. Is Switchyard running?");
    } else if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Set-up failed (HTTP ${response.status}).`);
    } else {
      await fetch("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
      // a full page load: the session cookie changed, so the layout (user menu) must render again too
      window.location.replace(new URL("/", window.location.href).href);
      return;
    }
    setPending(false);
  }

  const input = "w-full rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700";
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Name</span>
        <input name="name" required autoComplete="name" className={input} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input name="email" type="email" required autoComplete="username" className={input} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password (at least 10 characters)</span>
        <input name="password" type="password" required minLength={10} autoComplete="new-password" className={input} />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className="w-full rounded bg-zinc-900 px-3 py-2 text-sm font-medium text-white disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900">
        {pending ? "Creating…" : "Create the admin account"}
      </button>
    </form>
  );
}
