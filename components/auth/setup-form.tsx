"use client";

import { useState } from "react";
import { Field, FormError, SubmitButton } from "@/components/auth/form-parts";
import { setPasswordThenSignIn } from "@/components/auth/set-password-then-sign-in";

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
    setError(await setPasswordThenSignIn("/api/v1/setup", { token, email, name: form.get("name"), password }, email, password, "Set-up failed"));
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
