"use client";

import { useState } from "react";
import { Field, FormError, SubmitButton } from "@/components/auth/form-parts";

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

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Field label="Name" name="name" autoComplete="name" />
      <Field label="Email" name="email" type="email" autoComplete="username" />
      <Field label="Password (at least 10 characters)" name="password" type="password" minLength={10} autoComplete="new-password" />
      <FormError error={error} />
      <SubmitButton pending={pending} label="Create the admin account" pendingLabel="Creating…" />
    </form>
  );
}
