"use client";

import { useState } from "react";
import { Field, FormError, SubmitButton } from "@/components/auth/form-parts";

/** Sets the password with a one-time link (POST /api/v1/join), then signs in. */
export function JoinForm({ token, email }: { token: string; email: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("again") ?? "")) return setError("The two passwords differ.");
    setPending(true);
    setError(null);
    const response = await fetch("/api/v1/join", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password }) }).catch(() => null);
    if (!response) {
      setError("Could not reach the server. Is Switchyard running?");
    } else if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Could not set the password (HTTP ${response.status}).`);
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
      <input type="hidden" name="username" value={email} autoComplete="username" />
      <Field label="New password (at least 10 characters)" name="password" type="password" minLength={10} autoComplete="new-password" required />
      <Field label="The same again" name="again" type="password" minLength={10} autoComplete="new-password" required />
      <FormError error={error} />
      <SubmitButton pending={pending} label="Set password and sign in" pendingLabel="Setting…" />
    </form>
  );
}
