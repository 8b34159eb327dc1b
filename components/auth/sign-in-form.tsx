"use client";

import { useState } from "react";

/** E-mail and password, posted to better-auth; on success, back to the page that sent us here. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (response.ok) {
        // a full page load: the session cookie changed, so the layout (user menu) must render again too
        window.location.replace(new URL(next, window.location.href).href);
        return;
      }
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      setError(response.status === 401 ? "Wrong e-mail or password." : (body?.message ?? `Sign-in failed (HTTP ${response.status}).`));
    } catch {
      setError("Could not reach the server. Is Switchyard running?");
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input name="email" type="email" autoComplete="username" required className="w-full rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700" />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password</span>
        <input name="password" type="password" autoComplete="current-password" required className="w-full rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className="w-full rounded bg-zinc-900 px-3 py-2 text-sm font-medium text-white disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
