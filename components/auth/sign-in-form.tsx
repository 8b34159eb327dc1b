"use client";

import { useState } from "react";
import { Field, FormError, SubmitButton } from "@/components/auth/form-parts";

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
      <Field label="Email" name="email" type="email" autoComplete="username" />
      <Field label="Password" name="password" type="password" autoComplete="current-password" />
      <FormError error={error} />
      <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in…" />
    </form>
  );
}
