"use client";

import { useRouter } from "next/navigation";

export function SignOutButton() {
  const router = useRouter();
  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/sign-in");
    router.refresh(); // the session cookie changed: render the server components again
  }
  return (
    <button type="button" onClick={signOut} className="rounded px-2 py-1 text-sm underline-offset-2 hover:underline">
      Sign out
    </button>
  );
}
