"use client";

import { useState } from "react";
import { Field, FormError, SubmitButton } from "@/components/auth/form-parts";
import { setPasswordThenSignIn } from "@/components/auth/set-password-then-sign-in";

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
    setError(await setPasswordThenSignIn("/api/v1/join", { token, password }, email, password, "Could not set the password"));
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
